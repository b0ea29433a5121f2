import { DEFAULT_ANSWER } from './support/fake-openai-server.js';
import { useOpenAiInstancesOnRedis } from './support/openai-app.js';
import { askPlan } from './support/plan-requests.js';
import { idsOf, priceOf, samplePlan } from './support/sample-plan.js';
import { eventually } from './support/eventually.js';
import { describeWith, POSTGRES, REDIS } from './support/services.js';
import { chunksText, readSse } from './support/sse-client.js';
import { bearer, type TestApp } from './support/test-app.js';

describeWith(REDIS, POSTGRES)('Three instances sharing Redis and PostgreSQL', () => {
  // A rolling start: the first warms its lists from the database, the others from Redis.
  const { apps, openai } = useOpenAiInstancesOnRedis({
    redis: 'shared',
    count: 3,
    postgres: true,
    variables: { PLANS_CACHE_WARM: 'true' },
  });
  const [a, b, c] = [0, 1, 2].map((i) => () => apps()[i]);
  beforeEach(() => (openai.latencyMs = 300));

  const stats = async (app: TestApp) => (await app.http.get('/api/plan-cache/stats').set(bearer()).expect(200)).body;

  it('warms the billing lists from the database once, the later instances from Redis', async () => {
    const [first, second, third] = await Promise.all(apps().map(stats));
    expect(first.namespaces.plans.misses).toBeGreaterThan(0);
    for (const later of [second, third]) {
      expect(later.namespaces.plans.misses).toBe(0);
      expect(later.namespaces.plans.l2_hits).toBe(first.namespaces.plans.misses);
    }
    expect(first).toMatchObject({ redis_enabled: true, redis_connected: true, redis_breaker: 'closed' });
    expect(first.namespaces.plans.redis_cache_size).toBeGreaterThan(0);
  });

  it('answers a list cached by one instance as a hit on another', async () => {
    await a().http.post('/api/plan-cache/clear?namespace=plans').set(bearer()).expect(200);
    expect((await a().http.get('/api/plans?user_id=2').expect(200)).headers['x-cache']).toBe('MISS');
    expect((await b().http.get('/api/plans?user_id=2').expect(200)).headers['x-cache']).toBe('HIT');
  });

  it('shows a write acknowledged on one instance on every other instance', async () => {
    for (const app of apps()) await app.http.get('/api/plans?user_id=1').expect(200); // cached everywhere
    await a().http.patch('/api/plans/2').set(bearer()).send({ price: '6.66' }).expect(200);
    const acknowledged = performance.now();
    for (const app of [b(), c()]) {
      await eventually(async () => {
        const { body } = await app.http.get('/api/plans?user_id=1').expect(200);
        return priceOf(body, 2) === '6.66';
      }, 2000);
    }
    process.stdout.write(
      `Write visible on the other instances ${Math.round(performance.now() - acknowledged)} ms after its acknowledgement\n`,
    );
  });

  it("shows a created plan in the other instances' lists, and a deleted one gone", async () => {
    for (const app of apps()) await app.http.get('/api/plans?connection_type=dhcp').expect(200);
    const { body: created } = await b()
      .http.post('/api/plans')
      .set(bearer())
      .send(samplePlan({ connection_type: 'dhcp', user_id: 300 }))
      .expect(201);
    const listed = async (app: TestApp) =>
      idsOf((await app.http.get('/api/plans?connection_type=dhcp').expect(200)).body);
    for (const app of [a(), c()]) await eventually(async () => (await listed(app)).includes(created.id), 2000);
    await c().http.delete(`/api/plans/${created.id}`).set(bearer()).expect(204);
    for (const app of [a(), b()]) await eventually(async () => !(await listed(app)).includes(created.id), 2000);
  });

  it('answers a task plan made on one instance from Redis on another', async () => {
    const first = await askPlan(a(), 'shared plan').expect(200);
    const second = await askPlan(b(), 'Shared  PLAN').expect(200);
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.body).toMatchObject({ plan: first.body.plan, source: 'l2', cached: true });
    const stream = await readSse(`${c().url}/api/chat/stream?goal=shared%20plan`);
    expect(stream.events[0].data.code).toBe('plan_from_cache');
    expect(chunksText(stream.events)).toBe(first.body.plan);
    expect(openai.calls).toBe(1);
  });

  it('makes one planner call for 90 concurrent identical misses on three instances', async () => {
    openai.latencyMs = 600;
    const answers = await Promise.all(
      Array.from({ length: 90 }, (_, i) => askPlan(apps()[i % 3], 'stampede across instances')),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(new Set(answers.map((answer) => answer.body.plan))).toEqual(
      new Set([openai.answer('stampede across instances')]),
    );
    expect(openai.calls).toBe(1);
  });

  it('streams a plan generated on another instance to a waiting stream client', async () => {
    openai.latencyMs = 600;
    const [posted, streamed] = await Promise.all([
      askPlan(a(), 'waited across instances'),
      new Promise((resolve) => setTimeout(resolve, 100)).then(() =>
        readSse(`${b().url}/api/chat/stream?goal=waited%20across%20instances`),
      ),
    ]);
    expect(openai.calls).toBe(1);
    expect(chunksText(streamed.events)).toBe(posted.body.plan);
    expect(streamed.events.at(-1)?.event).toBe('done');
  });

  it('regenerates on one instance and the others drop their copies (no-cache)', async () => {
    await askPlan(a(), 'replaced plan').expect(200);
    await askPlan(b(), 'replaced plan').expect(200); // copied into b
    openai.answer = (goal) => `Newer plan for ${goal}\n`;
    try {
      // Replacing a shared plan is for authenticated callers.
      const fresh = await askPlan(a(), 'replaced plan', { 'cache-control': 'no-cache', ...bearer() });
      expect(fresh.body.plan).toBe('Newer plan for replaced plan\n');
      await eventually(async () => {
        const { body } = await askPlan(b(), 'replaced plan');
        return body.plan === fresh.body.plan;
      }, 2000);
    } finally {
      openai.answer = DEFAULT_ANSWER;
    }
  });

  it('clears a task plan by goal on every instance', async () => {
    await askPlan(a(), 'cleared everywhere').expect(200);
    await askPlan(b(), 'cleared everywhere').expect(200);
    await c().http.post('/api/plan-cache/clear').query({ goal: 'cleared everywhere' }).set(bearer()).expect(200);
    await eventually(async () => {
      const answer = await askPlan(b(), 'cleared everywhere');
      return answer.headers['x-cache'] === 'MISS';
    }, 2000);
  });
});
