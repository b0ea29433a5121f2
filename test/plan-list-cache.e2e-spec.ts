import { samplePlan } from './support/sample-plan.js';
import { bearer, useTestApp } from './support/test-app.js';

interface PlanBody {
  id: number;
  name: string;
}

const ids = (body: unknown): number[] => (body as PlanBody[]).map((plan) => plan.id);

describe('Cached billing-plan lists', () => {
  const t = useTestApp({ PLANS_CACHE_WARM: 'true' });

  /** Reads a list twice; the second read must come from the cache. */
  async function cachedList(path: string): Promise<number[]> {
    await t().http.get(path).expect(200);
    const again = await t().http.get(path).expect(200);
    expect(again.headers['x-cache']).toBe('HIT');
    return ids(again.body);
  }

  it('answers the lists warmed at start-up as hits on the first request', async () => {
    for (const path of ['/api/plans', '/api/plans?connection_type=pppoe', '/api/plans?user_id=1']) {
      const response = await t().http.get(path).expect(200);
      expect(response.headers['x-cache']).toBe('HIT');
    }
  });

  it('shows a created plan in every list it belongs to on the next read', async () => {
    const before = {
      all: await cachedList('/api/plans'),
      user: await cachedList('/api/plans?user_id=77'),
      type: await cachedList('/api/plans?connection_type=dhcp'),
      both: await cachedList('/api/plans?user_id=77&connection_type=dhcp'),
      other: await cachedList('/api/plans?connection_type=hotspot'),
    };
    const { body: plan } = await t()
      .http.post('/api/plans')
      .set(bearer())
      .send(samplePlan({ user_id: 77, connection_type: 'dhcp' }))
      .expect(201);

    for (const path of [
      '/api/plans',
      '/api/plans?user_id=77',
      '/api/plans?connection_type=dhcp',
      '/api/plans?user_id=77&connection_type=dhcp',
    ]) {
      const response = await t().http.get(path).expect(200);
      expect(response.headers['x-cache']).toBe('MISS');
      expect(ids(response.body)).toContain(plan.id);
    }
    expect(before.all).not.toContain(plan.id);
    expect(before.both).toEqual([]);
    // A list the plan is not in was not touched.
    const other = await t().http.get('/api/plans?connection_type=hotspot').expect(200);
    expect(other.headers['x-cache']).toBe('HIT');
    expect(ids(other.body)).toEqual(before.other);
  });

  it('moves an updated plan between the lists of its old and new values', async () => {
    const { body: plan } = await t()
      .http.post('/api/plans')
      .set(bearer())
      .send(samplePlan({ user_id: 81, connection_type: 'hotspot' }))
      .expect(201);
    expect(await cachedList('/api/plans?user_id=81&connection_type=hotspot')).toEqual([plan.id]);
    expect(await cachedList('/api/plans?user_id=82&connection_type=static')).toEqual([]);
    expect(await cachedList('/api/plans?connection_type=static')).not.toContain(plan.id);

    await t()
      .http.patch(`/api/plans/${plan.id}`)
      .set(bearer())
      .send({ user_id: 82, connection_type: 'static' })
      .expect(200);

    expect(ids((await t().http.get('/api/plans?user_id=81&connection_type=hotspot')).body)).toEqual([]);
    expect(ids((await t().http.get('/api/plans?user_id=81')).body)).toEqual([]);
    expect(ids((await t().http.get('/api/plans?user_id=82&connection_type=static')).body)).toEqual([plan.id]);
    expect(ids((await t().http.get('/api/plans?connection_type=static')).body)).toContain(plan.id);
    expect(ids((await t().http.get('/api/plans?connection_type=hotspot')).body)).not.toContain(plan.id);
  });

  it('shows a changed price in the cached list on the next read', async () => {
    await cachedList('/api/plans?user_id=1');
    await t().http.patch('/api/plans/2').set(bearer()).send({ price: '8.49' }).expect(200);
    const { body } = await t().http.get('/api/plans?user_id=1').expect(200);
    expect((body as { id: number; price: string }[]).find((plan) => plan.id === 2)?.price).toBe('8.49');
  });

  it('drops a deleted plan from its lists', async () => {
    const { body: plan } = await t()
      .http.post('/api/plans')
      .set(bearer())
      .send(samplePlan({ user_id: 90 }))
      .expect(201);
    expect(await cachedList('/api/plans?user_id=90')).toEqual([plan.id]);
    await t().http.delete(`/api/plans/${plan.id}`).set(bearer()).expect(204);
    const after = await t().http.get('/api/plans?user_id=90').expect(200);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(ids(after.body)).toEqual([]);
  });

  it('answers every spelling of a list from its one cached key, and refuses queries it cannot key', async () => {
    await t().http.get('/api/plans?user_id=1').expect(200); // cached under plans:user_1
    for (const spelling of ['user_id=01', 'user_id=001', 'user_id=0000000001']) {
      const answer = await t().http.get(`/api/plans?${spelling}`).expect(200);
      expect(answer.headers['x-cache']).toBe('HIT');
    }
    const misses = (await t().http.get('/api/plan-cache/stats').set(bearer())).body.namespaces.plans.misses;
    for (const refused of [
      'page=2',
      'user_id=1&user_id=1',
      'user_id=1&extra=',
      'user_id=0',
      'user_id=',
      'user_id=1e3',
    ]) {
      const answer = await t().http.get(`/api/plans?${refused}`).expect(400);
      expect(answer.body.message).toBeTruthy();
    }
    // Nothing reached the database: every answered list went through the cache.
    expect((await t().http.get('/api/plan-cache/stats').set(bearer())).body.namespaces.plans.misses).toBe(misses);
  });

  describe('administration', () => {
    it('needs the admin token', async () => {
      await t().http.get('/api/plan-cache/stats').expect(401);
      await t().http.post('/api/plan-cache/clear').set(bearer('wrong')).expect(403);
    });

    it('reports hits, misses and sizes, in total and per namespace', async () => {
      const before = (await t().http.get('/api/plan-cache/stats').set(bearer()).expect(200)).body;
      await t().http.get('/api/plans').expect(200);
      await t().http.get('/api/plans').expect(200);
      const { body } = await t().http.get('/api/plan-cache/stats').set(bearer()).expect(200);
      expect(Object.keys(body).sort()).toEqual(
        [
          'enabled',
          'local_cache_size',
          'local_max_size',
          'redis_enabled',
          'savings',
          'scopes',
          'redis_connected',
          'redis_cache_size',
          'redis_breaker',
          'hits',
          'misses',
          'hit_ratio',
          'l1_hits',
          'l2_hits',
          'stale_hits',
          'sets',
          'skipped_fast',
          'coalesced',
          'evictions',
          'namespaces',
        ].sort(),
      );
      expect(Object.keys(body.namespaces).sort()).toEqual(['plan', 'plans']);
      expect(body.hits + body.misses).toBeGreaterThanOrEqual(before.hits + before.misses + 2);
      expect(body.namespaces.plans.hits).toBeGreaterThanOrEqual(before.namespaces.plans.hits + 1);
      expect(body.namespaces.plans.local_cache_size).toBeGreaterThan(0);
      expect(body.hit_ratio).toBeCloseTo(body.hits / (body.hits + body.misses), 3);
      expect(body).toMatchObject({
        redis_enabled: false,
        redis_connected: false,
        redis_breaker: null,
        redis_cache_size: null,
      });
    });

    it('clears one namespace, and the next read is a miss', async () => {
      await cachedList('/api/plans');
      const held = (await t().http.get('/api/plan-cache/stats').set(bearer())).body.namespaces.plans.local_cache_size;
      const { body } = await t().http.post('/api/plan-cache/clear?namespace=plans').set(bearer()).expect(200);
      expect(body).toEqual({ cleared: held });
      expect((await t().http.get('/api/plans').expect(200)).headers['x-cache']).toBe('MISS');
    });

    it('clears everything without parameters', async () => {
      await cachedList('/api/plans?user_id=2');
      const { body } = await t().http.post('/api/plan-cache/clear').set(bearer()).expect(200);
      expect(body.cleared).toBeGreaterThan(0);
      expect((await t().http.get('/api/plans?user_id=2')).headers['x-cache']).toBe('MISS');
    });

    it('refuses an unknown namespace with 400', async () => {
      const { body } = await t().http.post('/api/plan-cache/clear?namespace=users').set(bearer()).expect(400);
      expect(body.message).toContain('namespace must be one of the following values: plan, plans');
    });
  });
});
