import { createClient, type RedisClientType } from '@redis/client';
import { sharedRedisVariables } from './support/instances.js';
import { eventually } from './support/eventually.js';
import { useRedisServer } from './support/redis-server.js';
import { describeWith, REDIS_SERVER } from './support/services.js';
import { metricValue } from './support/metrics-text.js';
import { askPlan } from './support/plan-requests.js';
import { bearer, useTestApp } from './support/test-app.js';

const JUNK_KEYS = 100_000;

/** How many SCAN commands Redis has run since it started (a server-wide count: the suite's server is its own). */
async function scans(client: RedisClientType): Promise<number> {
  const info = await client.info('commandstats');
  return Number(/cmdstat_scan:calls=(\d+)/.exec(info)?.[1] ?? 0);
}

describeWith(REDIS_SERVER)('Scraping the metrics and stats with ~100,000 keys in Redis', () => {
  const redis = useRedisServer();
  // An inner block's afterAll hooks run before its parent's: the app closes before its Redis stops.
  describe('on a redis-server that outlives the app', () => {
    const PREFIX = 'plan-cache';
    const app = useTestApp(() => ({
      ...sharedRedisVariables({ url: redis().url, prefix: PREFIX }),
      PLAN_CACHE_MIN_GEN_TIME: '0',
      PLANS_CACHE_WARM: 'false',
    }));
    let client: RedisClientType;

    beforeAll(async () => {
      client = createClient({ url: redis().url });
      client.on('error', () => undefined); // the suite's server stops before this client in teardown
      await client.connect();
      for (let start = 0; start < JUNK_KEYS; start += 10_000) {
        const batch = client.multi();
        for (let i = start; i < start + 10_000; i++) batch.set(`${PREFIX}:plan:foreign-${i}`, 'x');
        await batch.exec();
      }
      for (const goal of ['first goal', 'second goal', 'third goal']) await askPlan(app(), goal).expect(200);
    });

    afterAll(async () => {
      await client?.close();
    });

    it('reads the shared entry count without scanning Redis, on every scrape', async () => {
      await eventually(async () => {
        const stats = (await app().http.get('/api/plan-cache/stats').set(bearer()).expect(200)).body;
        return stats.namespaces.plan.redis_cache_size === 3;
      }, 5_000);
      const before = await scans(client);
      for (let i = 0; i < 3; i++) {
        expect(await metricValue(app(), 'plan_cache_entries', { namespace: 'plan', tier: 'l2' })).toBe(3);
        const stats = (await app().http.get('/api/plan-cache/stats').set(bearer()).expect(200)).body;
        expect(stats.namespaces.plan.redis_cache_size).toBe(3);
        expect(stats.redis_cache_size).toBe(3);
      }
      expect(await scans(client)).toBe(before);
    });

    it('counts a cleared plan out of the shared entries', async () => {
      await app().http.post('/api/plan-cache/clear').query({ goal: 'first goal' }).set(bearer()).expect(200);
      await eventually(async () => {
        const stats = (await app().http.get('/api/plan-cache/stats').set(bearer()).expect(200)).body;
        return stats.namespaces.plan.redis_cache_size === 2;
      }, 5_000);
    });
  });
});
