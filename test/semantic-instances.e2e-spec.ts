import { eventually } from './support/eventually.js';
import { metricValue } from './support/metrics-text.js';
import { signedIn, TEST_JWT_SECRET } from './support/jwks-server.js';
import { useOpenAiApp, useOpenAiInstancesOnRedis } from './support/openai-app.js';
import { askPlan, cachedSource } from './support/plan-requests.js';
import { describeWith, POSTGRES, REDIS_SERVER } from './support/services.js';
import { bearer } from './support/test-app.js';

describe('Embeddings from an OpenAI-compatible server', () => {
  const { app, openai } = useOpenAiApp(() => ({
    PLAN_CACHE_SEMANTIC_ENABLED: 'true',
    PLAN_CACHE_SEMANTIC_VERIFY_RATE: '0',
    EMBEDDINGS_PROVIDER: 'openai',
    EMBEDDINGS_MODEL: 'test-embeddings',
    // Long enough for ten concurrent requests to arrive on a busy machine: full batches go at once,
    // only the last one waits the window out.
    EMBEDDINGS_BATCH_WINDOW_MS: '1000',
    EMBEDDINGS_BATCH_MAX: '4',
  }));

  it('embeds N concurrent distinct goals in ⌈N / batch⌉ calls, and the stored goals without another', async () => {
    const goals = Array.from({ length: 10 }, (_, i) => `Prepare launch checklist number ${i + 1} for the kiosk`);
    const answers = await Promise.all(goals.map((goal) => askPlan(app(), goal).expect(200)));
    expect(answers.every((answer) => answer.body.source === 'generator')).toBe(true);
    expect(openai.embeddingBatches).toEqual([4, 4, 2]);
    expect(await metricValue(app(), 'embeddings_batch_size_count', { outcome: 'ok' })).toBe(3);
  });

  it('serves a goal its synonym-knowing model finds near, through the same gates', async () => {
    await askPlan(app(), 'Deploy the reporting app').expect(200);
    const similar = await askPlan(app(), 'please ship my reporting application').expect(200);
    expect(similar.body).toMatchObject({ source: 'semantic', match: { goal: 'deploy the reporting app' } });
  });

  it('falls back to exact matching, never to an error, when the embeddings server fails', async () => {
    openai.failEmbeddingsWith = 500;
    await askPlan(app(), 'Draft the onboarding email series').expect(200);
    const near = await askPlan(app(), 'please draft my onboarding email series').expect(200);
    expect(near.body.source).toBe('generator');
    expect(
      await metricValue(app(), 'plan_cache_semantic_refusals_total', { reason: 'embeddings_unavailable' }),
    ).toBeGreaterThan(0);
  });
});

describeWith(REDIS_SERVER, POSTGRES)('Semantic matching across instances sharing Redis and PostgreSQL', () => {
  const { apps, start, openai, redisServer } = useOpenAiInstancesOnRedis({
    redis: 'own',
    postgres: true,
    variables: {
      PLAN_CACHE_SEMANTIC_ENABLED: 'true',
      PLAN_CACHE_SEMANTIC_VERIFY_RATE: '0',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
    },
  });

  it('serves on one instance the plan another instance stored for a near-duplicate goal', async () => {
    const [a, b] = apps();
    const stored = await askPlan(a, 'Set up CI for the warehouse project').expect(200);
    // The store reaches b over the bus: b reads the entry from Redis and indexes its goal.
    await eventually(
      async () => (await cachedSource(b, 'please set up CI for my warehouse project')) === 'semantic',
      5000,
      'b indexed the goal',
    );
    const similar = await askPlan(b, 'please set up CI for my warehouse project').expect(200);
    expect(similar.body).toMatchObject({ source: 'semantic', key: stored.body.key });
    expect(openai.calls).toBe(1);
  });

  it('stops serving a cleared plan on every instance', async () => {
    const [a, b] = apps();
    await askPlan(a, 'Set up alerts for the warehouse project').expect(200);
    await eventually(
      async () => (await cachedSource(b, 'set up alerts for my warehouse project')) === 'semantic',
      5000,
      'b serves it',
    );
    await a.http
      .post('/api/plan-cache/clear')
      .set(bearer())
      .send({ goal: 'Set up alerts for the warehouse project' })
      .expect(200);
    const after = await askPlan(b, 'please set up alerts for my warehouse project').expect(200);
    expect(after.body.source).toBe('generator');
  });

  it('rebuilds the index of a new instance from Redis, and learns thresholds recorded by another', async () => {
    const [a] = apps();
    await askPlan(a, 'Set up backups for the warehouse database').expect(200);
    const hit = await askPlan(a, 'please set up backups for my warehouse database').expect(200);
    expect(hit.body.source).toBe('semantic');
    const late = await start();
    expect((await askPlan(late, 'setting up backups for the warehouse database').expect(200)).body.source).toBe(
      'semantic',
    );
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
      async () => (await cachedSource(late, 'set up backups for the warehouse database please')) !== 'semantic',
      8000,
      'the late instance learned the raised threshold',
    );
    expect(await cachedSource(late, 'set up backups for the warehouse database please')).toBe('status 504');
  });

  it('answers every request while Redis is away, from memory and the planner', async () => {
    const [a, b] = apps();
    await askPlan(a, 'Set up linting for the warehouse project').expect(200);
    await redisServer().kill();
    try {
      const answers = await Promise.all([
        askPlan(a, 'please set up linting for my warehouse project').expect(200),
        askPlan(b, 'please set up linting for my warehouse project').expect(200),
        askPlan(b, 'Write the release notes for the warehouse app').expect(200),
      ]);
      expect(answers[0].body.source).toBe('semantic');
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
    } finally {
      await redisServer().start();
    }
  });
});
