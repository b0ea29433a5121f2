import { eventually } from './support/eventually.js';
import { FakeOpenAiServer } from './support/fake-openai-server.js';
import { metricValue } from './support/metrics-text.js';
import { signedIn, TEST_JWT_SECRET } from './support/jwks-server.js';
import { PLANNER_KEY, plannerVariables, sharedRedisVariables, useOpenAiApp } from './support/openai-app.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { TestRedisServer } from './support/redis-server.js';
import { describeWith, POSTGRES, REDIS_SERVER } from './support/services.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

const plan = (app: TestApp, goal: string, headers: Record<string, string> = {}) =>
  app.http.post('/api/chat/plan').set(headers).send({ goal }).expect(200);

/** Where an instance would answer `goal` from, without ever calling the planner (only-if-cached). */
const sourceOf = async (app: TestApp, goal: string): Promise<string> => {
  const answer = await app.http.post('/api/chat/plan').set('cache-control', 'only-if-cached').send({ goal });
  return answer.status === 200 ? (answer.body as { source: string }).source : `status ${answer.status}`;
};

describe('Embeddings from an OpenAI-compatible server', () => {
  const { app, openai } = useOpenAiApp(() => ({
    PLAN_CACHE_SEMANTIC_ENABLED: 'true',
    PLAN_CACHE_SEMANTIC_VERIFY_RATE: '0',
    EMBEDDINGS_PROVIDER: 'openai',
    EMBEDDINGS_MODEL: 'test-embeddings',
    EMBEDDINGS_BATCH_WINDOW_MS: '50',
    EMBEDDINGS_BATCH_MAX: '4',
  }));

  it('embeds N concurrent distinct goals in ⌈N / batch⌉ calls, and the stored goals without another', async () => {
    const goals = Array.from({ length: 10 }, (_, i) => `Prepare launch checklist number ${i + 1} for the kiosk`);
    const answers = await Promise.all(goals.map((goal) => plan(app(), goal)));
    expect(answers.every((answer) => answer.body.source === 'generator')).toBe(true);
    expect(openai.embeddingBatches).toEqual([4, 4, 2]);
    expect(await metricValue(app(), 'embeddings_batch_size_count', { outcome: 'ok' })).toBe(3);
  });

  it('serves a goal its synonym-knowing model finds near, through the same gates', async () => {
    await plan(app(), 'Deploy the reporting app');
    const similar = await plan(app(), 'please ship my reporting application');
    expect(similar.body).toMatchObject({ source: 'semantic', match: { goal: 'deploy the reporting app' } });
  });

  it('falls back to exact matching, never to an error, when the embeddings server fails', async () => {
    openai.failEmbeddingsWith = 500;
    await plan(app(), 'Draft the onboarding email series');
    const near = await plan(app(), 'please draft my onboarding email series');
    expect(near.body.source).toBe('generator');
    expect(
      await metricValue(app(), 'plan_cache_semantic_refusals_total', { reason: 'embeddings_unavailable' }),
    ).toBeGreaterThan(0);
  });
});

describeWith(REDIS_SERVER, POSTGRES)('Semantic matching across instances sharing Redis and PostgreSQL', () => {
  let database: TestDatabase;
  let redis: TestRedisServer;
  const openai = new FakeOpenAiServer(PLANNER_KEY);
  const apps: TestApp[] = [];
  const variables = () => ({
    DATABASE_URL: database.url,
    ...sharedRedisVariables({ url: redis.url, prefix: 'plan-cache' }),
    ...plannerVariables(openai),
    PLAN_CACHE_SEMANTIC_ENABLED: 'true',
    PLAN_CACHE_SEMANTIC_VERIFY_RATE: '0',
    PLANS_CACHE_WARM: 'false',
    REDIS_TIMEOUT_MS: '1000',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await TestRedisServer.create();
    await redis.start();
    await openai.start();
    apps.push(await startTestApp(variables()), await startTestApp(variables()));
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await redis.kill();
    await openai.stop();
    await database?.drop();
  });

  beforeEach(() => {
    openai.reset();
    openai.latencyMs = 250;
  });

  it('serves on one instance the plan another instance stored for a near-duplicate goal', async () => {
    const [a, b] = apps;
    const stored = await plan(a, 'Set up CI for the warehouse project');
    // The store reaches b over the bus: b reads the entry from Redis and indexes its goal.
    await eventually(
      async () => (await sourceOf(b, 'please set up CI for my warehouse project')) === 'semantic',
      5000,
      'b indexed the goal',
    );
    const similar = await plan(b, 'please set up CI for my warehouse project');
    expect(similar.body).toMatchObject({ source: 'semantic', key: stored.body.key });
    expect(openai.calls).toBe(1);
  });

  it('stops serving a cleared plan on every instance', async () => {
    const [a, b] = apps;
    await plan(a, 'Set up alerts for the warehouse project');
    await eventually(
      async () => (await sourceOf(b, 'set up alerts for my warehouse project')) === 'semantic',
      5000,
      'b serves it',
    );
    await a.http
      .post('/api/plan-cache/clear')
      .set(bearer())
      .send({ goal: 'Set up alerts for the warehouse project' })
      .expect(200);
    const after = await plan(b, 'please set up alerts for my warehouse project');
    expect(after.body.source).toBe('generator');
  });

  it('rebuilds the index of a new instance from Redis, and learns thresholds recorded by another', async () => {
    const [a] = apps;
    await plan(a, 'Set up backups for the warehouse database');
    const hit = await plan(a, 'please set up backups for my warehouse database');
    expect(hit.body.source).toBe('semantic');
    const late = await startTestApp(variables());
    apps.push(late);
    expect((await plan(late, 'setting up backups for the warehouse database')).body.source).toBe('semantic');
    // Three reviewers agree (AGREEING_REPORTERS): one caller's reports alone raise nothing.
    for (const sub of ['reviewer', 'second-reviewer', 'third-reviewer']) {
      await a.http
        .post('/api/chat/plan/feedback')
        .set(await signedIn({ sub }))
        .send({ key: hit.body.key, goal: 'please set up backups for my warehouse database', wrong: true })
        .expect(200);
    }
    // The observation is in PostgreSQL: the other instances read it within their poll.
    await eventually(
      async () => (await sourceOf(late, 'set up backups for the warehouse database please')) !== 'semantic',
      8000,
      'the late instance learned the raised threshold',
    );
    expect(await sourceOf(late, 'set up backups for the warehouse database please')).toBe('status 504');
  });

  it('answers every request while Redis is away, from memory and the planner', async () => {
    const [a, b] = apps;
    await plan(a, 'Set up linting for the warehouse project');
    await redis.kill();
    try {
      const answers = await Promise.all([
        plan(a, 'please set up linting for my warehouse project'),
        plan(b, 'please set up linting for my warehouse project'),
        plan(b, 'Write the release notes for the warehouse app'),
      ]);
      expect(answers[0].body.source).toBe('semantic');
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
    } finally {
      await redis.start();
    }
  });
});
