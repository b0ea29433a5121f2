import { InvalidationBus } from '../src/plan-cache/bus/invalidation-bus.js';
import { newEntry } from '../src/plan-cache/cache/cache-entry.js';
import { StaleSetGuard } from '../src/plan-cache/cache/stale-set-guard.js';
import type { ValueCodec } from '../src/plan-cache/cache/value-codec.js';
import { RedisTier } from '../src/plan-cache/drivers/redis-tier.js';
import { RedisConnection } from '../src/plan-cache/redis/redis-connection.js';
import { createClient } from '@redis/client';
import { eventually } from './support/eventually.js';
import { askPlan } from './support/plan-requests.js';
import { useRedisServer } from './support/redis-server.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TestRedisCluster, TestRedisSentinels, type Topology } from './support/redis-topologies.js';
import { describeWith, REDIS_SERVER } from './support/services.js';

const NAMESPACE = 'plans';
const KEY = 'plans:user_1';
const TEXT: ValueCodec<string> = { decode: (json) => (typeof json === 'string' ? json : undefined) };
const LIFE = { freshMs: 60_000, usableMs: 120_000 };

/** The namespace's Redis tier on `topology`, as one instance of the service has it. */
async function tierOn(topology: Topology) {
  const connection = new RedisConnection({
    access: topology.access(),
    keyPrefix: 'plan-cache',
    timeoutMs: 1000,
    breakerResetMs: 200,
  });
  const bus = new InvalidationBus(connection);
  connection.start();
  await bus.start();
  await eventually(() => connection.connected && bus.listening, 30_000, 'connected and listening');
  const guard = new StaleSetGuard(30_000, { connection, namespace: NAMESPACE, versionTtlMs: 60_000 });
  const tier = new RedisTier<string>(NAMESPACE, connection, bus, TEXT);
  tier.attach({
    versionTtlMs: 60_000,
    guard,
    listener: { onRemoteInvalidation: () => undefined, onBusResync: () => undefined, onRemoteStore: () => undefined },
  });
  return { connection, tier, guard };
}

describeWith(REDIS_SERVER)('Failovers on servers of the test’s own', () => {
  describe.each([
    ['Sentinel', () => TestRedisSentinels.started({ tls: false })],
    ['Cluster', () => TestRedisCluster.started({ tls: false })],
  ])('A failover of a Redis %s that loses the last invalidation', (_mode, start) => {
    let topology: Topology;
    let side: Awaited<ReturnType<typeof tierOn>>;
    beforeAll(async () => {
      topology = await start();
      side = await tierOn(topology);
    }, 120_000);
    afterAll(async () => {
      await side?.connection.close();
      await topology?.stop();
    });

    it('never serves the entry that invalidation removed, nor stores a value loaded before it', async () => {
      const { connection, tier, guard } = side;
      const written = await tier.write(
        KEY,
        newEntry('the list before the write', LIFE),
        (await guard.stamp(KEY)).remote!,
      );
      expect(written).toBe(true);
      expect((await tier.read(KEY))?.value).toBe('the list before the write');
      const loadedBefore = (await guard.stamp(KEY)).remote!;

      // The invalidation is acknowledged by the primary alone; the primary dies; its replica is promoted.
      const entryName = connection.keys.entry(NAMESPACE, KEY);
      await topology.crashPrimaryLosingWrites(entryName, () => tier.invalidate([KEY]));
      await eventually(
        async () => connection.connected && (await guard.stamp(KEY)).remote !== undefined,
        30_000,
        'the new primary',
      );

      // What the test is about: the promoted replica still holds the entry and the version it matches.
      expect(await connection.client.get(entryName)).toContain('the list before the write');
      // Yet it is never served, and a value loaded before the invalidation is never stored.
      expect(await tier.read(KEY)).toBeUndefined();
      expect(await tier.write(KEY, newEntry('loaded before the write', LIFE), loadedBefore)).toBe(false);
      // A load that begins now is stored and served.
      expect(await tier.write(KEY, newEntry('the list after the write', LIFE), (await guard.stamp(KEY)).remote!)).toBe(
        true,
      );
      expect((await tier.read(KEY))?.value).toBe('the list after the write');
      expect(connection.state().failovers).toBeGreaterThanOrEqual(1);
    }, 120_000);
  });
});

describeWith(REDIS_SERVER)('A Redis user that may not run INFO', () => {
  const apps: TestApp[] = [];
  // Declared before the server's: Jest runs afterAll hooks in declaration order, and an app closes
  // before its Redis stops.
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });
  const server = useRedisServer();

  it('still shares the cache, and says in readiness and /metrics that failovers are not fenced', async () => {
    const admin = createClient({ url: server().url });
    await admin.connect();
    await admin.sendCommand(['ACL', 'SETUSER', 'no-info', 'on', '>no-info-secret', '~*', '&*', '+@all', '-info']);
    admin.destroy();
    const url = server().url.replace('redis://', 'redis://no-info:no-info-secret@');
    for (let i = 0; i < 2; i++) {
      apps.push(
        await startTestApp({
          PLAN_CACHE_REDIS_ENABLED: 'true',
          REDIS_URL: url,
          PLAN_CACHE_MIN_GEN_TIME: '0',
        }),
      );
    }
    const [a, b] = apps;
    await eventually(async () => (await a.http.get('/health/ready')).body.info?.redis?.fencing === 'off', 10_000);
    expect((await a.http.get('/metrics')).text).toMatch(/^plan_cache_redis_fencing\{state="off"\} 1$/m);
    await askPlan(a, 'A goal planned without INFO').expect(200);
    expect((await askPlan(b, 'A goal planned without INFO').expect(200)).body.source).toBe('l2');
  });
});
