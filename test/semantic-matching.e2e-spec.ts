import { hs256Token, signedIn, TEST_JWT_SECRET } from './support/jwks-server.js';
import { metricValue } from './support/metrics-text.js';
import { useOpenAiApp } from './support/openai-app.js';
import { readSse } from './support/sse-client.js';
import { eventually } from './support/eventually.js';
import { askPlan } from './support/plan-requests.js';
import { DEFAULT_ANSWER } from './support/fake-openai-server.js';

describe('Semantic matching of near-duplicate goals (builtin embeddings)', () => {
  const { app, openai } = useOpenAiApp({
    PLAN_CACHE_SEMANTIC_ENABLED: 'true',
    PLAN_CACHE_SEMANTIC_VERIFY_RATE: '0',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
  });

  it('serves the plan of a paraphrased goal as a hit of that goal, without a planner call', async () => {
    const first = await askPlan(app(), 'Set up CI for the billing project').expect(200);
    expect(first.body.source).toBe('generator');
    const second = await askPlan(app(), 'please set up CI for my billing project').expect(200);
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.body).toMatchObject({
      cached: true,
      source: 'semantic',
      key: first.body.key,
      plan: first.body.plan,
      match: { goal: 'set up ci for the billing project' },
    });
    expect(second.body.match.similarity).toBeGreaterThanOrEqual(0.9);
    expect(openai.calls).toBe(1);
    expect(await metricValue(app(), 'plan_cache_task_plan_hits_total', { match: 'semantic' })).toBe(1);
    expect(await metricValue(app(), 'plan_cache_task_plan_hits_total', { match: 'exact' })).toBe(0);
  });

  it('matches Russian inflections of one goal', async () => {
    await askPlan(app(), 'Настроить мониторинг сервиса оплаты').expect(200);
    const similar = await askPlan(app(), 'настройка мониторинга сервиса оплаты').expect(200);
    expect(similar.body.source).toBe('semantic');
    expect(openai.calls).toBe(1);
  });

  it('never matches across project contexts', async () => {
    await askPlan(app(), { goal: 'Write unit tests for the invoice module', project_context: 'Node.js' }).expect(200);
    const other = await askPlan(app(), {
      goal: 'write unit tests for the invoice module please',
      project_context: 'Python',
    }).expect(200);
    expect(other.body.source).toBe('generator');
    const same = await askPlan(app(), {
      goal: 'write unit tests for the invoice module please',
      project_context: 'Node.js',
    }).expect(200);
    expect(same.body.source).toBe('semantic');
    expect(openai.calls).toBe(2);
  });

  it('answers an exact-only request (Cache-Control: exact, or cache.exact) from the planner', async () => {
    await askPlan(app(), 'Set up backups for the reports database').expect(200);
    const header = await askPlan(app(), 'please set up backups for the reports database', {
      'cache-control': 'exact',
    }).expect(200);
    expect(header.body.source).toBe('generator');
    const body = await askPlan(app(), {
      goal: 'set up backups for my reports database',
      cache: { exact: true },
    }).expect(200);
    expect(body.body.source).toBe('generator');
    const noCache = await askPlan(app(), 'set up the backups for the reports database', {
      'cache-control': 'no-cache',
    }).expect(200);
    expect(noCache.body.source).toBe('generator');
    expect(openai.calls).toBe(4);
  });

  it('streams a plan of a similar goal with its own step, in English and Russian, and the match in done', async () => {
    await askPlan(app(), 'Set up linting for the console project').expect(200);
    for (const [language, label] of [
      ['en', 'Plan from a similar goal'],
      ['ru', 'План из кэша (похожая цель)'],
    ]) {
      const url = `${app().url}/api/chat/stream?goal=${encodeURIComponent('please set up linting for my console project')}`;
      const { events } = await readSse(url, { headers: { 'accept-language': language } });
      expect(events[0]).toEqual({ event: 'step', data: { code: 'plan_from_similar', label } });
      const done = events.find((event) => event.event === 'done');
      expect(done?.data).toMatchObject({
        cached: true,
        source: 'semantic',
        match: { goal: 'set up linting for the console project' },
      });
    }
    expect(openai.calls).toBe(1);
  });

  it('stops serving an entry to goals as far as one a client said it was wrong for', async () => {
    const first = await askPlan(app(), 'Set up alerts for the payments service').expect(200);
    const similar = await askPlan(app(), 'please set up alerts for my payments service').expect(200);
    expect(similar.body.source).toBe('semantic');
    // Three reviewers: one caller's reports alone raise nothing (AGREEING_REPORTERS).
    let receipt!: { body: Record<string, unknown> };
    for (const sub of ['reviewer', 'second-reviewer', 'third-reviewer']) {
      receipt = await app()
        .http.post('/api/chat/plan/feedback')
        .set(await signedIn({ sub }))
        .send({ key: similar.body.key, goal: 'please set up alerts for my payments service', wrong: true })
        .expect(200);
    }
    expect(receipt.body).toMatchObject({ key: first.body.key, wrong: true, counted: true, observations: 3 });
    expect(receipt.body.threshold).toBeGreaterThan(similar.body.match.similarity as number);
    const again = await askPlan(app(), 'set up alerts for the payments service please').expect(200);
    expect(again.body.source).toBe('generator');
    expect(
      await metricValue(app(), 'plan_cache_semantic_observations_total', { origin: 'feedback', outcome: 'false_hit' }),
    ).toBe(3);
  });

  it('refuses feedback it cannot use, saying why', async () => {
    const bad = await app()
      .http.post('/api/chat/plan/feedback')
      .send({ key: 'plan:xyz', goal: '', wrong: 'yes' })
      .expect(400);
    expect(bad.body.message).toMatch(/key must be a plan key/);
    await app()
      .http.post('/api/chat/plan/feedback')
      .set(await signedIn({ sub: 'reviewer' }))
      .send({ key: 'plan:0123456789abcdef', goal: 'a goal', wrong: true })
      .expect(404);
    const cached = await askPlan(app(), 'Set up a status page for the API').expect(200);
    const confirm = await app()
      .http.post('/api/chat/plan/feedback')
      .send({ key: cached.body.key, goal: 'a status page for the API', wrong: false })
      .expect(401);
    expect(confirm.body.message).toMatch(/signed-in/);
  });
});

describe('Identity gates: a near goal that differs in what matters is never served another plan', () => {
  // A threshold this low lets the embedding pass almost anything: only the gates stand in the way.
  const { app, openai } = useOpenAiApp({
    PLAN_CACHE_SEMANTIC_ENABLED: 'true',
    PLAN_CACHE_SEMANTIC_THRESHOLD: '0.3',
    PLAN_CACHE_SEMANTIC_VERIFY_RATE: '0',
  });

  it.each([
    ['numbers', 'Fix bug #12 in the billing service', 'Fix bug #13 in the billing service'],
    ['numbers', 'Upgrade the reports database to PostgreSQL 15', 'Upgrade the reports database to PostgreSQL 16'],
    ['identifiers', 'Write a parser for the config format in C', 'Write a parser for the config format in C++'],
    ['negation', 'Deploy the billing service with Docker', 'Deploy the billing service without Docker'],
    ['polarity', 'Add dark mode to the settings page', 'Remove dark mode from the settings page'],
    ['polarity', 'Включить кэширование отчётов', 'Выключить кэширование отчётов'],
    ['direction', 'Migrate the orders from MySQL to PostgreSQL', 'Migrate the orders from PostgreSQL to MySQL'],
    ['entities', 'Host the billing service on AWS', 'Host the billing service on GCP'],
  ])('refuses by the %s gate: "%s" is not "%s"', async (gate, cachedGoal, askedGoal) => {
    await askPlan(app(), cachedGoal).expect(200);
    const before = await metricValue(app(), 'plan_cache_semantic_refusals_total', { reason: gate });
    const asked = await askPlan(app(), askedGoal).expect(200);
    expect(asked.body.source).toBe('generator');
    expect(openai.calls).toBe(2);
    expect(await metricValue(app(), 'plan_cache_semantic_refusals_total', { reason: gate })).toBe(before + 1);
  });

  it('still serves a near goal that agrees on every gate', async () => {
    await askPlan(app(), 'Migrate the invoices from MySQL to PostgreSQL 16').expect(200);
    const asked = await askPlan(app(), 'please migrate my invoices from MySQL to PostgreSQL 16').expect(200);
    expect(asked.body.source).toBe('semantic');
  });
});

describe('Semantic matching within a tenant scope', () => {
  const { app, openai } = useOpenAiApp({
    PLAN_CACHE_SEMANTIC_ENABLED: 'true',
    PLAN_CACHE_SEMANTIC_VERIFY_RATE: '0',
    PLAN_CACHE_SCOPE: 'tenant',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
  });
  const as = async (tenant: string) => ({
    authorization: `Bearer ${await hs256Token({ sub: `user-${tenant}`, tenant })}`,
  });

  it("never serves one tenant's plan to another tenant's near-duplicate goal, nor to the public scope", async () => {
    await askPlan(app(), 'Set up CI for the mobile project', await as('acme')).expect(200);
    const sameTenant = await askPlan(app(), 'please set up CI for my mobile project', await as('acme')).expect(200);
    expect(sameTenant.body.source).toBe('semantic');
    const otherTenant = await askPlan(app(), 'please set up CI for my mobile project', await as('globex')).expect(200);
    expect(otherTenant.body.source).toBe('generator');
    const anonymous = await askPlan(app(), 'please set up CI for my mobile project').expect(200);
    expect(anonymous.body.source).toBe('generator');
    expect(openai.calls).toBe(3);
  });

  it("answers 404 to feedback on another tenant's entry, as if it were not there", async () => {
    const cached = await askPlan(app(), 'Set up tracing for the API gateway', await as('acme')).expect(200);
    await app()
      .http.post('/api/chat/plan/feedback')
      .set(await as('globex'))
      .send({ key: cached.body.key, goal: 'set up tracing for my API gateway', wrong: true })
      .expect(404);
  });
});

describe('Verified thresholds: semantic hits regenerated in the background and compared', () => {
  const { app, openai } = useOpenAiApp({
    PLAN_CACHE_SEMANTIC_ENABLED: 'true',
    PLAN_CACHE_SEMANTIC_VERIFY_RATE: '1',
  });
  // The tests below replace the planner's answer to see what verification makes of it.
  afterEach(() => (openai.answer = DEFAULT_ANSWER));

  it('records a false hit when the fresh plan differs, and stores it as the goal’s own entry', async () => {
    openai.answer = (goal) =>
      goal.includes('please') ? 'Completely different: 1. Order pizza 2. Eat it 3. Sleep\n' : DEFAULT_ANSWER(goal);
    await askPlan(app(), 'Set up CI for the search project').expect(200);
    const similar = await askPlan(app(), 'please set up CI for my search project').expect(200);
    expect(similar.body.source).toBe('semantic');
    await eventually(
      async () =>
        (await metricValue(app(), 'plan_cache_semantic_observations_total', {
          origin: 'verification',
          outcome: 'false_hit',
        })) === 1,
      10_000,
      'the verification recorded a false hit',
    );
    expect(openai.calls).toBe(2);
    // only-if-cached never calls the planner: the entry found is the one the verification stored.
    const ownEntry = () =>
      askPlan(app(), 'please set up CI for my search project', { 'cache-control': 'only-if-cached, exact' });
    await eventually(async () => (await ownEntry()).status === 200, 5000, 'the goal has its own entry');
    expect(openai.calls).toBe(2);
    const own = await askPlan(app(), 'please set up CI for my search project').expect(200);
    expect(own.body).toMatchObject({ source: 'l1', plan: 'Completely different: 1. Order pizza 2. Eat it 3. Sleep\n' });
  });

  it('records agreement when the fresh plan says the same', async () => {
    openai.answer = () => 'Plan\n1. Define the pipeline\n2. Build it\n3. Run it on every push\n';
    await askPlan(app(), 'Set up CI for the payroll project').expect(200);
    expect((await askPlan(app(), 'please set up CI for my payroll project').expect(200)).body.source).toBe('semantic');
    await eventually(
      async () =>
        (await metricValue(app(), 'plan_cache_semantic_observations_total', {
          origin: 'verification',
          outcome: 'agreed',
        })) >= 1,
      10_000,
      'the verification recorded an agreement',
    );
  });
});

describe('Near misses: a candidate under its threshold is compared with the plan made instead', () => {
  const { app, openai } = useOpenAiApp({
    PLAN_CACHE_SEMANTIC_ENABLED: 'true',
    PLAN_CACHE_SEMANTIC_THRESHOLD: '0.99',
    PLAN_CACHE_SEMANTIC_VERIFY_RATE: '0',
  });

  it('records an observation of the candidate at no planner cost', async () => {
    await askPlan(app(), 'Write integration tests for the billing service').expect(200);
    // One more word: similar (about 0.92), under the threshold of 0.99, within the near-miss margin.
    const asked = await askPlan(app(), 'Write integration tests for the billing service module').expect(200);
    expect(asked.body.source).toBe('generator');
    await eventually(
      async () => (await metricValue(app(), 'plan_cache_semantic_observations_total', { origin: 'near_miss' })) === 1,
      5000,
      'a near-miss observation',
    );
    expect(openai.calls).toBe(2);
  });
});
