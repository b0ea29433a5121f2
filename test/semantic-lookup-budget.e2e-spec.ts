import { signedIn, TEST_JWT_SECRET } from './support/jwks-server.js';
import { metricValue } from './support/metrics-text.js';
import { useOpenAiApp, useOpenAiInstancesOnRedis } from './support/openai-app.js';
import { describeWith, REDIS_SERVER } from './support/services.js';
import { askPlan, cachedSource } from './support/plan-requests.js';

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

  it('serves near-duplicates semantically within 10 lookups, then answers them as exact matching would, exact hits staying hits, embedding at most 10', async () => {
    const owner = await signedIn({ sub: 'owner' });
    const cached = ['Deploy the reporting app', 'Set up CI for the billing project', 'Migrate the orders database'];
    for (const goal of cached) await askPlan(app(), goal, owner).expect(200);
    const near = [
      'please ship my reporting application',
      'ship the reporting app',
      'release the reporting app',
      'deploying the reporting app please',
      'configure CI for the billing project',
      'set up CI for my billing repository',
      'please configure CI for my billing project',
      'move the orders database',
      'please migrate my orders db',
      'migration of the orders database',
    ];
    const later = ['roll out the reporting app', 'please set up CI for the billing repository', 'move the orders db'];
    const sources = async (goals: string[], directives = 'only-if-cached') => {
      const answered = [];
      for (const goal of goals) answered.push(await cachedSource(app(), goal, { 'cache-control': directives }));
      return answered;
    };
    const before = embedded();

    expect(await sources(cached)).toEqual(['l1', 'l1', 'l1']);
    // Within the budget: a near-duplicate is a semantic hit (exact hits took none of it).
    expect(await sources(near)).toEqual(near.map(() => 'semantic'));
    // Past it: the same kind of near-duplicate, and the very ones served just now, as exact matching answers them.
    const spent = await sources([...later, ...near]);
    expect(spent).toEqual(await sources([...later, ...near], 'only-if-cached, exact'));
    expect(spent).toEqual([...later, ...near].map(() => 'status 504'));
    expect(await sources(cached)).toEqual(['l1', 'l1', 'l1']);
    expect(embedded() - before).toBeLessThanOrEqual(10);
    expect(await metricValue(app(), 'plan_cache_semantic_refusals_total', { reason: 'lookup_budget' })).toBe(13);

    // Spent: this address gets exact matching only; a signed-in caller has its own budget.
    const other = await askPlan(app(), 'please ship my reporting application', {
      ...owner,
      'cache-control': 'only-if-cached',
    });
    expect(other.body).toMatchObject({ source: 'semantic', match: { goal: 'deploy the reporting app' } });
    expect(embedded() - before).toBeLessThanOrEqual(11);
  });
});

describeWith(REDIS_SERVER)('One lookup budget per caller across instances sharing Redis', () => {
  const { apps, openai } = useOpenAiInstancesOnRedis({
    redis: 'own',
    variables: {
      PLAN_CACHE_SEMANTIC_ENABLED: 'true',
      PLAN_CACHE_SEMANTIC_VERIFY_RATE: '0',
      EMBEDDINGS_PROVIDER: 'openai',
      EMBEDDINGS_MODEL: 'test-embeddings',
      LIMIT_SEMANTIC_LOOKUPS_PER_MINUTE: '10',
    },
  });

  it('embeds at most 10 goals for one address asking 30 times on each of two instances', async () => {
    const goals = Array.from({ length: 30 }, (_, i) => `Paint fence section ${i + 1} in the garden`);
    const answers = await Promise.all(
      apps().flatMap((app, n) => goals.map((goal) => cachedSource(app, `${goal} from instance ${n}`))),
    );
    expect(answers.every((source) => source === 'status 504')).toBe(true);
    expect(openai.embeddingBatches.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(10);
    const refused = await Promise.all(
      apps().map((app) => metricValue(app, 'plan_cache_semantic_refusals_total', { reason: 'lookup_budget' })),
    );
    expect(refused[0] + refused[1]).toBe(50);
  });
});
