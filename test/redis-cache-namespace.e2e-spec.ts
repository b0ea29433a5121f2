import type { RedisClientType } from '@redis/client';
import { CacheNamespace } from '../src/plan-cache/cache/cache-namespace.js';
import { InvalidationBus } from '../src/plan-cache/bus/invalidation-bus.js';
import { RedisConnection } from '../src/plan-cache/redis/redis-connection.js';
import { RedisTier } from '../src/plan-cache/drivers/redis-tier.js';
import { SerializedJson } from '../src/plan-cache/http/serialized-json.js';
import { BILLING_LIST_CODEC } from '../src/plans/cache/billing-plan-lists.js';
import { eventually } from './support/eventually.js';
import { LatencyProxy } from './support/latency-proxy.js';
import { standaloneAt, useRedisServer, useSharedRedis, type TestRedis } from './support/redis-server.js';
import { describeWith, REDIS, REDIS_SERVER } from './support/services.js';

const REDIS_CALL_DEADLINE_MS = 10_000;

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => (resolve = res));
  return { promise, resolve };
}

/**
 * One "instance": its own connection, bus and namespace over the shared Redis. Without `listening`
 * it never hears the bus, like an instance whose message is still on its way.
 */
async function instance(
  { url, prefix }: TestRedis,
  { listening = true, ttlMs = 300_000, loadDeadlineMs = 30_000, consistentAcrossInstances = false } = {},
) {
  // Nothing here is about Redis being slow: a call cut short by its deadline (or by the breaker that
  // a few of them open) makes an instance load what it should have found in Redis, so the deadline
  // is one no busy machine reaches. A Redis that fails is redis-outage's and redis-tier's subject.
  const redis = new RedisConnection({
    access: standaloneAt(url),
    keyPrefix: prefix,
    timeoutMs: REDIS_CALL_DEADLINE_MS,
    breakerResetMs: 500,
  });
  const bus = new InvalidationBus(redis);
  redis.start();
  if (listening) await bus.start();
  // Until the bus listens, its first subscription may still drop what a load stores meanwhile.
  await eventually(() => redis.connected && (listening ? bus.listening : redis.deployment.subscriberReady));
  const lists = new CacheNamespace<SerializedJson>(
    'plans',
    { enabled: true, ttlMs, maxEntries: 100, loadDeadlineMs, consistentAcrossInstances },
    () => new RedisTier('plans', redis, bus, BILLING_LIST_CODEC),
  );
  return { redis, lists };
}

const list = (...ids: number[]) => SerializedJson.of(ids.map((id) => ({ id })));
const text = (value: SerializedJson | undefined) => value?.body.toString();

describeWith(REDIS)('The plan cache over a real Redis, between instances', () => {
  const server = useSharedRedis();
  let a: Awaited<ReturnType<typeof instance>>;
  let b: Awaited<ReturnType<typeof instance>>;

  beforeAll(async () => {
    a = await instance(server());
    b = await instance(server());
  });

  afterAll(async () => {
    await a?.redis.close();
    await b?.redis.close();
  });

  it('answers another instance from Redis and copies the value into its memory', async () => {
    await a.lists.getOrLoad('plans:user_1', async () => list(1, 2));
    let loaded = false;
    const fromB = await b.lists.getOrLoad('plans:user_1', async () => {
      loaded = true;
      return list(9);
    });
    expect(loaded).toBe(false);
    expect(fromB.cached).toBe(true);
    expect(text(fromB.value)).toBe('[{"id":1},{"id":2}]');
    expect(text(b.lists.get('plans:user_1'))).toBe('[{"id":1},{"id":2}]');
    expect(b.lists.snapshot().l2_hits).toBe(1);
    // Where the entry lives, so that the poisoning below hits the real keys.
    const stored = await a.redis.client.get(a.redis.keys.entry('plans', 'plans:user_1'));
    expect(JSON.parse(stored!)).toMatchObject({
      value: { json: '[{"id":1},{"id":2}]' },
      remote: { g: expect.any(String), k: expect.any(String) },
      until: expect.any(Number),
    });
  });

  it("drops the other instances' copies when a key is invalidated (bus)", async () => {
    await a.lists.getOrLoad('plans:user_2', async () => list(3));
    await b.lists.getOrLoad('plans:user_2', async () => list(99));
    expect(text(b.lists.get('plans:user_2'))).toBe('[{"id":3}]');
    await a.lists.invalidate(['plans:user_2']);
    await eventually(() => b.lists.peek('plans:user_2') === undefined, 2000);
    const reloaded = await b.lists.getOrLoad('plans:user_2', async () => list(3, 4));
    expect(text(reloaded.value)).toBe('[{"id":3},{"id":4}]');
  });

  it('never lets a value loaded before an invalidation on another instance be served after it', async () => {
    const oldRead = deferred<SerializedJson>();
    const loading = deferred<void>();
    const slowLoad = a.lists.getOrLoad('plans:type_pppoe', () => {
      loading.resolve();
      return oldRead.promise;
    });
    await loading.promise; // a's load runs: it has taken its stamps
    await b.lists.invalidate(['plans:type_pppoe']); // b committed a write meanwhile
    oldRead.resolve(list(1)); // a's read came from before the write
    await slowLoad;
    // Neither b, nor a once the bus message is in, nor a newcomer may see the old list.
    let loads = 0;
    const fresh = await b.lists.getOrLoad('plans:type_pppoe', async () => {
      loads++;
      return list(1, 5);
    });
    expect(text(fresh.value)).toBe('[{"id":1},{"id":5}]');
    expect(loads).toBe(1);
    await eventually(() => text(a.lists.peek('plans:type_pppoe')) !== '[{"id":1}]', 2000);
  });

  it('hides a stale write that reached Redis before the writer heard of the invalidation', async () => {
    const deaf = await instance(server(), { listening: false });
    try {
      const oldRead = deferred<SerializedJson>();
      const loading = deferred<void>();
      const slowLoad = deaf.lists.getOrLoad('plans:type_static', () => {
        loading.resolve();
        return oldRead.promise;
      });
      await loading.promise; // the load runs: it has taken its stamps
      await b.lists.invalidate(['plans:type_static']);
      oldRead.resolve(list(1));
      await slowLoad; // stored in Redis under the versions from before the invalidation
      const fresh = await a.lists.getOrLoad('plans:type_static', async () => list(1, 6));
      expect(fresh).toEqual({ value: expect.any(SerializedJson), cached: false });
      expect(text(fresh.value)).toBe('[{"id":1},{"id":6}]');
    } finally {
      await deaf.redis.close();
    }
  });

  it('treats malformed, foreign and planted values in Redis as misses', async () => {
    const raw = a.redis.client;
    const poison = async (key: string, value: string) => raw.set(a.redis.keys.entry('plans', key), value);
    await poison('plans:user_10', 'not json at all');
    await poison('plans:user_11', JSON.stringify({ value: { json: '[1]' }, until: Date.now() + 60_000 }));
    // Versions as a real load of these keys would have them, so that only the value is wrong.
    const stampOf = (key: string) => a.lists.stamp(key).then((stamp) => stamp.remote!);
    const until = Date.now() + 60_000;
    await poison(
      'plans:user_12',
      JSON.stringify({ value: { json: '{"not":"a list"}' }, remote: await stampOf('plans:user_12'), until }),
    );
    await poison(
      'plans:user_13',
      JSON.stringify({
        value: { json: '[{"id":666}]' },
        remote: { ...(await stampOf('plans:user_13')), k: 'x' },
        until,
      }),
    );
    // An envelope of the format before version tokens: counters, which an eviction could reset.
    await poison('plans:user_14', JSON.stringify({ value: { json: '[{"id":666}]' }, remote: { g: 0, k: 0 }, until }));
    for (const key of ['plans:user_10', 'plans:user_11', 'plans:user_12', 'plans:user_13', 'plans:user_14']) {
      const answer = await b.lists.getOrLoad(key, async () => list(10));
      expect(answer).toEqual({ value: expect.any(SerializedJson), cached: false });
      expect(text(answer.value)).toBe('[{"id":10}]');
    }
  });

  it('runs one load across instances for concurrent misses, the others taking its result', async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 200));
      return list(7);
    };
    const answers = await Promise.all([
      ...Array.from({ length: 5 }, () => a.lists.getOrLoad('plans:user_20', load)),
      ...Array.from({ length: 5 }, () => b.lists.getOrLoad('plans:user_20', load)),
    ]);
    expect(loads).toBe(1);
    expect(new Set(answers.map((answer) => text(answer.value)))).toEqual(new Set(['[{"id":7}]']));
  });

  it('takes over from a holder that crashed: its lock expires and another instance loads', async () => {
    await a.redis.client.set(a.redis.keys.lock('plans:user_30'), 'crashed-holder', {
      expiration: { type: 'PX', value: 300 },
    });
    let loads = 0;
    const answer = await b.lists.getOrLoad('plans:user_30', async () => {
      loads++;
      return list(30);
    });
    expect(loads).toBe(1);
    expect(text(answer.value)).toBe('[{"id":30}]');
  });

  it('clears a namespace on every instance', async () => {
    await a.lists.getOrLoad('plans:user_40', async () => list(40));
    await b.lists.getOrLoad('plans:user_40', async () => list(41));
    await a.lists.clear();
    await eventually(() => b.lists.peek('plans:user_40') === undefined, 2000);
    expect((await b.lists.getOrLoad('plans:user_40', async () => list(42))).cached).toBe(false);
  });

  it('lets a copy taken from Redis expire when the shared entry does, not a whole TTL later', async () => {
    // A TTL long enough that a busy machine still copies the entry well within its life.
    const ttlMs = 6_000;
    const [short, other] = [await instance(server(), { ttlMs }), await instance(server(), { ttlMs })];
    try {
      await short.lists.getOrLoad('plans:user_50', async () => list(50));
      const written = Date.now(); // the entry's life ends by written + ttlMs
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // Copied within its life: the copy must go when the Redis entry goes, not a whole TTL after the copy.
      expect((await other.lists.getOrLoad('plans:user_50', async () => list(0))).cached).toBe(true);
      expect(text(other.lists.peek('plans:user_50'))).toBe('[{"id":50}]');
      await new Promise((resolve) => setTimeout(resolve, written + ttlMs + 500 - Date.now()));
      expect(other.lists.peek('plans:user_50')).toBeUndefined();
    } finally {
      await short.redis.close();
      await other.redis.close();
    }
  });

  it('never serves an old envelope again when Redis loses (evicts) the version keys', async () => {
    const entryKey = a.redis.keys.entry('plans', 'plans:user_60');
    await a.lists.getOrLoad('plans:user_60', async () => list(60));
    const old = await a.redis.client.get(entryKey);
    await a.lists.invalidate(['plans:user_60']);
    // A late stale write (or a failed delete) left the old envelope; then eviction took the versions.
    await a.redis.client.set(entryKey, old!);
    await a.redis.client.del([a.redis.keys.version('plans:user_60'), a.redis.keys.generation('plans')]);
    const answer = await b.lists.getOrLoad('plans:user_60', async () => list(60, 61));
    expect(answer.cached).toBe(false);
    expect(text(answer.value)).toBe('[{"id":60},{"id":61}]');
  });

  it('keeps memory flat under 100,000 distinct announced keys: versions older than the load deadline are forgotten', async () => {
    const peer = await instance(server(), { loadDeadlineMs: 300 });
    try {
      const message = (keys: string[]) => JSON.stringify({ origin: 'another-instance', namespace: 'plans', keys });
      const [aBefore, bBefore] = [a, b].map((other) => other.lists.counters.busInvalidations);
      const heardAll = (count: number) =>
        peer.lists.counters.busInvalidations === count &&
        a.lists.counters.busInvalidations === aBefore + count &&
        b.lists.counters.busInvalidations === bBefore + count;
      let largest = 0;
      for (let batch = 0; batch < 100; batch++) {
        const keys = Array.from({ length: 1_000 }, (_, i) => `plans:user_${batch * 1_000 + i}`);
        await a.redis.client.publish(a.redis.keys.bus, message(keys));
        // Paced by receipt, not by the clock: a starved process never lets Redis's output buffer for
        // its subscribers grow past the limit at which Redis drops them (and the messages with them).
        await eventually(() => heardAll((batch + 1) * 1_000), 30_000, `every instance heard batch ${batch}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        largest = Math.max(largest, peer.lists.snapshot().tracked_versions);
      }
      expect(largest).toBeGreaterThan(0);
      expect(largest).toBeLessThan(50_000); // about 300 ms of announcements, not all 100,000
    } finally {
      await peer.redis.close();
    }
  }, 300_000);
});

describeWith(REDIS_SERVER)('The plan cache over a Redis whose ACL stops one instance from publishing', () => {
  // A server of its own: the test changes its users.
  const server = useRedisServer();

  it('announces a replaced value again once the bus can carry it, so that no instance keeps the old copy', async () => {
    const redis = { url: server().url, prefix: 'plan-cache' };
    const [admin, reader] = [await instance(redis), await instance(redis)];
    await (admin.redis.client as RedisClientType).sendCommand([
      'ACL',
      'SETUSER',
      'announcer',
      'on',
      '>secret',
      '~*',
      '&*',
      '+@all',
      '-publish',
    ]);
    const writer = await instance({ ...redis, url: redis.url.replace('redis://', 'redis://announcer:secret@') });
    try {
      await writer.lists.getOrLoad('plans:user_70', async () => list(70));
      await reader.lists.getOrLoad('plans:user_70', async () => list(0));
      expect(text(reader.lists.peek('plans:user_70'))).toBe('[{"id":70}]');
      // A regeneration replaces the value in Redis while the writer cannot publish.
      const stamp = await writer.lists.stamp('plans:user_70');
      const outcome = await writer.lists.set('plans:user_70', list(70, 71), stamp);
      expect(outcome).toBe('stored');
      await writer.lists.announceReplaced('plans:user_70', outcome);
      // A message sent after it reaches the reader: had the writer's gone out, it would have too.
      const heard = reader.lists.counters.busInvalidations;
      await admin.lists.invalidate(['plans:user_71']);
      await eventually(() => reader.lists.counters.busInvalidations > heard, 5_000);
      expect(text(reader.lists.peek('plans:user_70'))).toBe('[{"id":70}]');
      await (admin.redis.client as RedisClientType).sendCommand(['ACL', 'SETUSER', 'announcer', '+publish']);
      await eventually(() => reader.lists.peek('plans:user_70') === undefined, 5_000);
      expect(text((await reader.lists.getOrLoad('plans:user_70', async () => list(0))).value)).toBe(
        '[{"id":70},{"id":71}]',
      );
    } finally {
      for (const one of [writer, admin, reader]) await one.redis.close();
    }
  });
});

describeWith(REDIS)('A namespace that shows every change, on an instance cut off from Redis and the bus', () => {
  const server = useSharedRedis();
  let proxy: LatencyProxy;
  let a: Awaited<ReturnType<typeof instance>>;
  let cutOff: Awaited<ReturnType<typeof instance>>;

  beforeAll(async () => {
    proxy = await LatencyProxy.for(server().url);
    a = await instance(server(), { consistentAcrossInstances: true });
    cutOff = await instance({ ...server(), url: proxy.url }, { consistentAcrossInstances: true });
  });

  afterAll(async () => {
    // Cut first: a client whose link is gone is destroyed at once, where a graceful close of one
    // through the proxy was seen to wait past the hook's deadline in CI.
    proxy?.sever();
    if (cutOff) await eventually(() => !cutOff.redis.connected, 10_000);
    await cutOff?.redis.close();
    await a?.redis.close();
    await proxy?.stop();
  });

  it('neither joins nor serves, once the bus delay has passed, a load that began before a change made elsewhere', async () => {
    const key = 'plans:user_7';
    proxy.sever();
    try {
      await eventually(() => !cutOff.redis.connected);
      // The cut-off instance begins a load: it reads the state before the change.
      const slow = deferred<SerializedJson>();
      const before = cutOff.lists.getOrLoad(key, () => slow.promise);
      // The change, acknowledged by an instance that reaches Redis.
      await a.lists.invalidate([key]);
      await new Promise((resolve) => setTimeout(resolve, 150));
      let loads = 0;
      const after = cutOff.lists.getOrLoad(key, async () => {
        loads++;
        return list(2);
      });
      slow.resolve(list(1));
      expect(text((await before).value)).toBe('[{"id":1}]');
      expect(text((await after).value)).toBe('[{"id":2}]');
      expect(loads).toBe(1);
      // Whichever of the two was stored last, the value loaded before the change is not served.
      expect(text(cutOff.lists.get(key))).not.toBe('[{"id":1}]');
    } finally {
      proxy.mend();
    }
    await eventually(() => cutOff.redis.connected, 10_000);
  });
});
