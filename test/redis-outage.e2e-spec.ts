import { eventually } from './support/eventually.js';
import { useInstancesOnRedis } from './support/instances.js';
import { LatencyProxy } from './support/latency-proxy.js';
import { askPlan } from './support/plan-requests.js';
import { TestRedisServer } from './support/redis-server.js';
import { priceOf } from './support/sample-plan.js';
import { describeWith, POSTGRES, REDIS_SERVER } from './support/services.js';
import { bearer, type TestApp } from './support/test-app.js';

/** What every instance here runs with: the builtin planner, whose plans (0.25 s) are kept. */
const SETTINGS = {
  PLANNER_BUILTIN_DELAY_MS: '250',
  PLAN_CACHE_MIN_GEN_TIME: '0.2',
  PLANS_CACHE_WARM: 'false',
};

describeWith(REDIS_SERVER, POSTGRES)('When Redis goes away', () => {
  const { apps, start, redisServer } = useInstancesOnRedis({
    redis: 'own',
    count: 3,
    postgres: true,
    variables: SETTINGS,
  });
  const instance = (i: number) => () => apps()[i];
  const [a, b, c] = [instance(0), instance(1), instance(2)];

  // How long requests take during the outage is measured by bench/stress/redis-restart.ts.
  it('keeps answering every request without Redis (task plans from memory, billing lists from the database), writes included, then recovers by itself', async () => {
    // Cached everywhere before the outage.
    for (const app of [a(), b()]) await app.http.get('/api/plans?user_id=1').expect(200);
    const planned = await askPlan(a(), 'planned before the outage').expect(200);

    await redisServer().kill();
    for (let round = 0; round < 5; round++) {
      // Deaf to the other instances' changes, an instance serves its copy of a list only within the
      // bus delay (100 ms), else reads the database again: the first read of a round is a miss.
      await new Promise((resolve) => setTimeout(resolve, 150));
      const list = await a().http.get('/api/plans?user_id=1').expect(200);
      expect(list.headers['x-cache']).toBe('MISS');
      const uncached = await b()
        .http.get(`/api/plans?user_id=${60 + round}`)
        .expect(200); // from the database
      expect(uncached.headers['x-cache']).toBe('MISS');
      const remembered = await askPlan(a(), 'planned before the outage').expect(200);
      expect(remembered.headers['x-cache']).toBe('HIT');
      expect(remembered.body).toMatchObject({ cached: true, source: 'l1', plan: planned.body.plan });
      const generated = await askPlan(b(), `planned during the outage ${round}`).expect(200);
      expect(generated.body).toMatchObject({ cached: false, source: 'generator' });
      await a().http.get('/api/plan-cache/stats').set(bearer()).expect(200);
    }
    // A write during the outage, on an instance that stops before Redis is back: committed, held
    // while Redis cannot take its invalidation (5 s at most), then acknowledged; a and b cannot
    // hear of it, but their copies are too old to be served while they are deaf: all show it.
    await c().http.patch('/api/plans/2').set(bearer()).send({ price: '5.55' }).expect(200);
    for (const app of [a(), b(), c()])
      expect(priceOf((await app.http.get('/api/plans?user_id=1').expect(200)).body, 2)).toBe('5.55');
    await c().close();

    const ready = await a().http.get('/health/ready').expect(200);
    expect(ready.body.details.redis).toMatchObject({ status: 'degraded', message: 'Redis does not answer' });
    const during = (await a().http.get('/api/plan-cache/stats').set(bearer())).body;
    expect(during).toMatchObject({ redis_enabled: true, redis_connected: false, redis_cache_size: null });

    await redisServer().start();
    await eventually(
      async () => (await b().http.get('/api/plan-cache/stats').set(bearer())).body.redis_connected,
      10_000,
      'b reconnected',
    );
    // Their copies missed the invalidation: dropped when their bus came back.
    for (const [name, app] of Object.entries({ a: a(), b: b() })) {
      await eventually(
        async () => priceOf((await app.http.get('/api/plans?user_id=1')).body, 2) === '5.55',
        10_000,
        `${name} dropped its outdated copy`,
      );
    }
    // And the bus works again.
    await b().http.patch('/api/plans/2').set(bearer()).send({ price: '4.44' }).expect(200);
    await eventually(
      async () => priceOf((await a().http.get('/api/plans?user_id=1')).body, 2) === '4.44',
      10_000,
      "a heard of b's write",
    );
    await eventually(
      async () => (await a().http.get('/health/ready')).body.details?.redis?.status === 'up',
      10_000,
      'a ready with Redis up',
    );
  });

  it('starts without Redis (degraded) and connects when it comes', async () => {
    const late = await TestRedisServer.create();
    const app = await start({ REDIS_URL: late.url });
    try {
      expect((await app.http.get('/api/plans').expect(200)).headers['x-cache']).toBe('MISS');
      // Deaf to any other instance, it keeps a list only within the bus delay.
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect((await app.http.get('/api/plans').expect(200)).headers['x-cache']).toBe('MISS');
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
      // Listening (subscribed, and what it may have missed dropped), it keeps lists in memory again.
      await eventually(
        async () => {
          await app.http.get('/api/plans').expect(200);
          await new Promise((resolve) => setTimeout(resolve, 150));
          return (await app.http.get('/api/plans').expect(200)).headers['x-cache'] === 'HIT';
        },
        10_000,
        'lists kept in memory again',
      );
    } finally {
      await app.close();
      await late.kill();
    }
  });

  it('fails readiness without Redis when REDIS_REQUIRED=true', async () => {
    const absent = await TestRedisServer.create();
    const app = await start({ REDIS_URL: absent.url, REDIS_REQUIRED: 'true' });
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

describeWith(REDIS_SERVER, POSTGRES)('When one instance is cut off from Redis while the others reach it', () => {
  const { apps, start, redisServer } = useInstancesOnRedis({
    redis: 'own',
    count: 1,
    postgres: true,
    variables: SETTINGS,
  });
  let proxy: LatencyProxy;
  let cutOff: TestApp;
  const inReach = () => apps()[0];
  const redisConnected = async (app: TestApp) =>
    (await app.http.get('/api/plan-cache/stats').set(bearer())).body.redis_connected as boolean;
  const listedPrice = async (app: TestApp) => priceOf((await app.http.get('/api/plans?user_id=1').expect(200)).body, 2);

  beforeAll(async () => {
    proxy = await LatencyProxy.for(redisServer().url);
    cutOff = await start({ REDIS_URL: proxy.url });
  });
  afterAll(async () => {
    proxy?.mend();
    await cutOff?.close();
    await proxy?.stop();
  });
  afterEach(async () => {
    proxy.mend();
    await eventually(() => redisConnected(cutOff), 10_000, 'the cut-off instance reconnected');
  });

  it('acknowledges a change made where Redis is out of reach only once Redis took its invalidation', async () => {
    // Both hold the list, in memory and in Redis.
    const before = await listedPrice(inReach());
    await listedPrice(cutOff);
    const changed = before === '7.77' ? '8.88' : '7.77';
    proxy.sever();
    await eventually(async () => !(await redisConnected(cutOff)), 10_000, 'the instance lost Redis');
    // The link comes back while the change waits for it.
    const mend = setTimeout(() => proxy.mend(), 1000);
    try {
      await cutOff.http.patch('/api/plans/2').set(bearer()).send({ price: changed }).expect(200);
    } finally {
      clearTimeout(mend);
    }
    // Acknowledged: the other instance, which reached Redis all along, shows it after the bus delay.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await listedPrice(inReach())).toBe(changed);
  });

  it('does not serve, from an instance deaf to the others, a copy older than the bus delay', async () => {
    const before = await listedPrice(cutOff);
    await listedPrice(inReach());
    const changed = before === '7.77' ? '8.88' : '7.77';
    proxy.sever();
    await eventually(async () => !(await redisConnected(cutOff)), 10_000, 'the instance lost Redis');
    await inReach().http.patch('/api/plans/2').set(bearer()).send({ price: changed }).expect(200);
    // Its copy missed the invalidation: once the bus delay has passed, it reads the database again.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await listedPrice(cutOff)).toBe(changed);
  });
});
