import { FakeOpenAiServer } from './support/fake-openai-server.js';
import { signedIn, TEST_JWT_SECRET } from './support/jwks-server.js';
import { metricValue } from './support/metrics-text.js';
import { PLANNER_KEY, plannerVariables, useOpenAiApp } from './support/openai-app.js';
import { REDIS_SERVER_AVAILABLE, useRedisServer } from './support/redis-server.js';
import { describeWithService } from './support/services.js';
import { startTestApp, temporaryDataDir, type TestApp } from './support/test-app.js';

const onlyIfCached = (
  app: TestApp,
  goal: string,
  directives = 'only-if-cached',
  headers: Record<string, string> = {},
) => app.http.post('/api/chat/plan').set(headers).set('cache-control', directives).send({ goal });

describe('Embedded lookups are budgeted per caller (LIMIT_SEMANTIC_LOOKUPS_PER_MINUTE)', () => {
  const { app, openai } = useOpenAiApp({
    PLAN_CACHE_SEMANTIC_ENABLED: 'true',
    PLAN_CACHE_SEMANTIC_VERIFY_RATE: '0',
    EMBEDDINGS_PROVIDER: 'openai',
    EMBEDDINGS_MODEL: 'test-embeddings',
    LIMIT_SEMANTIC_LOOKUPS_PER_MINUTE: '10',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
  });
  const embedded = () => openai.embeddingBatches.reduce((sum, n) => sum + n, 0);

  it('embeds at most 10 of 60 anonymous lookups, and answers every one as exact matching would', async () => {
    const owner = await signedIn({ sub: 'owner' });
    await app().http.post('/api/chat/plan').set(owner).send({ goal: 'Deploy the reporting app' }).expect(200);
    const before = embedded();
    const goals = Array.from({ length: 60 }, (_, i) => `Plan a team offsite number ${i + 1} near the lake`);
    const answers = await Promise.all(goals.map((goal) => onlyIfCached(app(), goal)));
    const exact = await Promise.all(goals.map((goal) => onlyIfCached(app(), goal, 'only-if-cached, exact')));
    expect(answers.map((answer) => answer.status)).toEqual(exact.map((answer) => answer.status));
    expect(answers.every((answer) => answer.status === 504)).toBe(true);
    expect(embedded() - before).toBeLessThanOrEqual(10);
    expect(await metricValue(app(), 'plan_cache_semantic_refusals_total', { reason: 'lookup_budget' })).toBe(50);

    // Spent: this address gets exact matching only; a signed-in caller has its own budget.
    expect((await onlyIfCached(app(), 'please ship my reporting application')).status).toBe(504);
    const other = await onlyIfCached(app(), 'please ship my reporting application', 'only-if-cached', owner);
    expect(other.body).toMatchObject({ source: 'semantic', match: { goal: 'deploy the reporting app' } });
    expect(embedded() - before).toBeLessThanOrEqual(11);
  });
});

describeWithService(
  'redis-server',
  REDIS_SERVER_AVAILABLE,
  'install redis-server: the suite starts its own',
)('One lookup budget per caller across instances sharing Redis', () => {
  const redis = useRedisServer();
  const openai = new FakeOpenAiServer(PLANNER_KEY);
  const dirs: { remove: () => void }[] = [];
  let apps: TestApp[] = [];
  beforeAll(async () => {
    await openai.start();
    apps = await Promise.all(
      [1, 2].map(() => {
        const data = temporaryDataDir();
        dirs.push(data);
        return startTestApp({
          DATA_DIR: data.dir,
          PLANS_CACHE_WARM: 'false',
          ...plannerVariables(openai),
          PLAN_CACHE_REDIS_ENABLED: 'true',
          REDIS_URL: redis().url,
          PLAN_CACHE_SEMANTIC_ENABLED: 'true',
          PLAN_CACHE_SEMANTIC_VERIFY_RATE: '0',
          EMBEDDINGS_PROVIDER: 'openai',
          EMBEDDINGS_MODEL: 'test-embeddings',
          LIMIT_SEMANTIC_LOOKUPS_PER_MINUTE: '10',
        });
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await openai.stop();
    for (const dir of dirs) dir.remove();
  });

  it('embeds at most 10 goals for one address asking 30 times on each of two instances', async () => {
    const goals = Array.from({ length: 30 }, (_, i) => `Paint fence section ${i + 1} in the garden`);
    const answers = await Promise.all(
      apps.flatMap((app, n) => goals.map((goal) => onlyIfCached(app, `${goal} from instance ${n}`))),
    );
    expect(answers.every((answer) => answer.status === 504)).toBe(true);
    expect(openai.embeddingBatches.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(10);
    const refused = await Promise.all(
      apps.map((app) => metricValue(app, 'plan_cache_semantic_refusals_total', { reason: 'lookup_budget' })),
    );
    expect(refused[0] + refused[1]).toBe(50);
  });
});
