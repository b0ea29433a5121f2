import { DistributedFlight } from '../src/plan-cache/locks/distributed-flight.js';
import { RedisConnection } from '../src/plan-cache/redis/redis-connection.js';
import type { ValueCodec } from '../src/plan-cache/cache/value-codec.js';
import { LatencyProxy } from './support/latency-proxy.js';
import { standaloneAt, useSharedRedis } from './support/redis-server.js';
import { describeWith, REDIS } from './support/services.js';

const TEXT: ValueCodec<string> = {
  encode: (value) => value,
  decode: (stored) => (typeof stored === 'string' ? stored : undefined),
};

describeWith(REDIS)('Single flight across instances when a waiter’s link to Redis is slow', () => {
  const redis = useSharedRedis();
  const connections: RedisConnection[] = [];
  let proxy: LatencyProxy;

  const connect = async (url: string) => {
    const connection = new RedisConnection({
      access: standaloneAt(url),
      keyPrefix: redis().prefix,
      timeoutMs: 200,
      breakerResetMs: 200,
    });
    connections.push(connection);
    connection.start();
    await connection.ready(5_000);
    return connection;
  };

  beforeAll(async () => {
    proxy = await LatencyProxy.for(redis().url);
  });
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    await proxy?.stop();
  });

  it('keeps waiting for the holder through polls that answer late, and loads once', async () => {
    const holder = new DistributedFlight(await connect(redis().url));
    const waiterConnection = await connect(proxy.url);
    // Calls that succeed first, so that two late replies do not open the waiter's breaker.
    for (let i = 0; i < 10; i++) await waiterConnection.guard.run(() => waiterConnection.client.ping());
    const waiter = new DistributedFlight(waiterConnection);
    let loads = 0;
    const load = (ms: number) => async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, ms));
      return `plan #${loads}`;
    };
    const options = { leaseMs: 3_000, maxWaitMs: 5_000 };
    const first = holder.run('slow-poll', load(1_200), TEXT, options);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = waiter.run('slow-poll', load(0), TEXT, options);
    await new Promise((resolve) => setTimeout(resolve, 100));
    proxy.replyDelayMs = 300; // past the 200 ms deadline: the next polls look failed
    await new Promise((resolve) => setTimeout(resolve, 450));
    proxy.replyDelayMs = 0;
    const [held, waited] = await Promise.all([first, second]);
    expect(loads).toBe(1);
    expect(held).toEqual({ value: 'plan #1', loadedHere: true });
    expect(waited).toEqual({ value: 'plan #1', loadedHere: false });
  });
});
