import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { TestRedisServer } from './support/redis-server.js';
import { eventually } from './support/eventually.js';
import { priceOf } from './support/sample-plan.js';
import { describeWith, POSTGRES, REDIS_SERVER } from './support/services.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

describeWith(REDIS_SERVER, POSTGRES)('When Redis goes away', () => {
  let redis: TestRedisServer;
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let c: TestApp;
  const variables = (redisUrl: string, extra: Record<string, string> = {}) => ({
    DATABASE_URL: database.url,
    PLAN_CACHE_REDIS_ENABLED: 'true',
    REDIS_URL: redisUrl,
    PLANNER_BUILTIN_DELAY_MS: '250',
    PLAN_CACHE_MIN_GEN_TIME: '0.2',
    PLANS_CACHE_WARM: 'false',
    ...extra,
  });

  beforeAll(async () => {
    redis = await TestRedisServer.create();
    await redis.start();
    database = await createTestDatabase();
    a = await startTestApp(variables(redis.url));
    b = await startTestApp(variables(redis.url));
    c = await startTestApp(variables(redis.url));
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await c?.close();
    await redis?.kill();
    await database?.drop();
  });

  it('keeps answering every request without Redis, writes included, then recovers by itself', async () => {
    // Cached everywhere before the outage.
    for (const app of [a, b]) await app.http.get('/api/plans?user_id=1').expect(200);
    await a.http.post('/api/chat/plan').send({ goal: 'planned before the outage' }).expect(200);

    await redis.kill();
    let worstMs = 0;
    const timed = async <T>(call: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      const result = await call();
      worstMs = Math.max(worstMs, performance.now() - started);
      return result;
    };
    for (let round = 0; round < 5; round++) {
      await timed(() => a.http.get('/api/plans?user_id=1').expect(200));
      await timed(() => b.http.get(`/api/plans?user_id=${60 + round}`).expect(200)); // not cached: from the database
      await timed(() => a.http.post('/api/chat/plan').send({ goal: 'planned before the outage' }).expect(200));
      await timed(() =>
        b.http
          .post('/api/chat/plan')
          .send({ goal: `planned during the outage ${round}` })
          .expect(200),
      );
      await timed(() => a.http.get('/api/plan-cache/stats').set(bearer()).expect(200));
    }
    // A write during the outage on an instance that stops before Redis is back: committed and
    // visible where it was made; a and b cannot hear of it, and nobody will tell them later.
    await timed(() => c.http.patch('/api/plans/2').set(bearer()).send({ price: '5.55' }).expect(200));
    expect(priceOf((await c.http.get('/api/plans?user_id=1').expect(200)).body, 2)).toBe('5.55');
    await c.close();
    // A loose bound that only a request hanging on Redis would break.
    expect(worstMs).toBeLessThan(3000);

    const ready = await a.http.get('/health/ready').expect(200);
    expect(ready.body.details.redis).toMatchObject({ status: 'degraded', message: 'Redis does not answer' });
    const during = (await a.http.get('/api/plan-cache/stats').set(bearer())).body;
    expect(during).toMatchObject({ redis_enabled: true, redis_connected: false, redis_cache_size: null });

    await redis.start();
    await eventually(
      async () => (await b.http.get('/api/plan-cache/stats').set(bearer())).body.redis_connected,
      10_000,
      'b reconnected',
    );
    // Their copies missed the invalidation: dropped when their bus came back.
    for (const [name, app] of Object.entries({ a, b })) {
      await eventually(
        async () => priceOf((await app.http.get('/api/plans?user_id=1')).body, 2) === '5.55',
        10_000,
        `${name} dropped its outdated copy`,
      );
    }
    // And the bus works again.
    await b.http.patch('/api/plans/2').set(bearer()).send({ price: '4.44' }).expect(200);
    await eventually(
      async () => priceOf((await a.http.get('/api/plans?user_id=1')).body, 2) === '4.44',
      10_000,
      "a heard of b's write",
    );
    await eventually(
      async () => (await a.http.get('/health/ready')).body.details?.redis?.status === 'up',
      10_000,
      'a ready with Redis up',
    );
    process.stdout.write(`Worst request time during the Redis outage: ${Math.round(worstMs)} ms\n`);
  });

  it('starts without Redis (degraded) and connects when it comes', async () => {
    const late = await TestRedisServer.create();
    const app = await startTestApp(variables(late.url));
    try {
      expect((await app.http.get('/api/plans').expect(200)).headers['x-cache']).toBe('MISS');
      expect((await app.http.get('/api/plans').expect(200)).headers['x-cache']).toBe('HIT');
      const ready = await app.http.get('/health/ready').expect(200);
      expect(ready.body.status).toBe('degraded');
      await late.start();
      await eventually(
        async () => (await app.http.get('/api/plan-cache/stats').set(bearer())).body.redis_connected,
        10_000,
        'connected after start-up',
      );
      await eventually(
        async () => (await app.http.get('/health/ready')).body.status === 'ok',
        10_000,
        'ready with Redis up',
      );
    } finally {
      await app.close();
      await late.kill();
    }
  });

  it('fails readiness without Redis when REDIS_REQUIRED=true', async () => {
    const absent = await TestRedisServer.create();
    const app = await startTestApp(variables(absent.url, { REDIS_REQUIRED: 'true' }));
    try {
      const { body } = await app.http.get('/health/ready').expect(503);
      expect(body).toMatchObject({
        statusCode: 503,
        message: 'Not ready: redis down',
        details: { redis: { status: 'down' } },
      });
      await app.http.get('/api/plans').expect(200); // still answering
    } finally {
      await app.close();
    }
  });
});
