import { hs256Token, TEST_JWT_SECRET } from './support/jwks-server.js';
import { useOpenAiApp } from './support/openai-app.js';
import { eventually } from './support/eventually.js';
import { askPlan } from './support/plan-requests.js';
import { bearer } from './support/test-app.js';

const TTL_MS = 4000;

/** Waits until `ms` have passed since `from` (plan ages are the state under test here). */
const until = async (from: number, ms: number) => {
  const left = from + ms - Date.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
};

/** Cleanup for the running test only. */
const cleanups: (() => void)[] = [];
const afterThis = (cleanup: () => void) => cleanups.push(cleanup);
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

describe('Early refresh of hot task plans', () => {
  // Plans live 4 s; a hit after half of that (2 s) on a plan hit 3 times lately refreshes it.
  const { app, openai } = useOpenAiApp({
    PLAN_CACHE_TTL: String(TTL_MS / 1000),
    PLAN_CACHE_EARLY_REFRESH: '0.5',
    PLAN_CACHE_EARLY_REFRESH_MIN_HITS: '3',
    PLAN_CACHE_GRACE: '0',
  });

  beforeEach(() => (openai.latencyMs = 250));

  it('answers a hit at 85 % of the TTL at once, refreshes the plan once in the background, and the next reader after expiry still hits', async () => {
    const goal = 'Hot plan refreshed ahead';
    const first = await askPlan(app(), goal).expect(200);
    const created = Date.now();
    expect(first.headers['x-cache']).toBe('MISS');
    for (let i = 0; i < 3; i++) expect((await askPlan(app(), goal).expect(200)).headers['x-cache']).toBe('HIT');

    await until(created, 0.85 * TTL_MS);
    const original = openai.answer;
    openai.answer = (g) => `Refreshed plan for ${g}\n1. Again\n`;
    afterThis(() => (openai.answer = original));
    const late = await Promise.all(Array.from({ length: 5 }, () => askPlan(app(), goal).expect(200)));
    for (const answer of late) {
      expect(answer.headers['x-cache']).toBe('HIT');
      expect(answer.body.plan).toBe(first.body.plan);
    }
    await eventually(() => openai.completed === 2, 5000, 'the background refresh');
    expect(openai.calls).toBe(2);

    await until(created, TTL_MS + 200);
    const afterExpiry = await askPlan(app(), goal).expect(200);
    expect(afterExpiry.headers['x-cache']).toBe('HIT');
    expect(afterExpiry.body.plan).toBe(`Refreshed plan for ${goal}\n1. Again\n`);
    expect(openai.calls).toBe(2);
  });

  it('never refreshes a cold plan: it expires and its next reader waits for the planner', async () => {
    const goal = 'Cold plan left to expire';
    await askPlan(app(), goal).expect(200);
    const created = Date.now();
    await until(created, 0.85 * TTL_MS);
    expect((await askPlan(app(), goal).expect(200)).headers['x-cache']).toBe('HIT');
    await until(created, TTL_MS + 500);
    expect(openai.calls).toBe(1);
    expect((await askPlan(app(), goal).expect(200)).headers['x-cache']).toBe('MISS');
    expect(openai.calls).toBe(2);
  });

  it('does not refresh while the planner is failing', async () => {
    const goals = ['Refresh fails first', 'Refresh waits after a failure'];
    for (const goal of goals) for (let i = 0; i < 4; i++) await askPlan(app(), goal).expect(200);
    const created = Date.now();
    expect(openai.calls).toBe(2);
    openai.failWith = { status: 500, message: 'The planner is down' };
    // Due for a refresh, and 1.6 s from expiry: time for the failing refresh on a busy machine.
    await until(created, 0.6 * TTL_MS);
    expect((await askPlan(app(), goals[0]).expect(200)).headers['x-cache']).toBe('HIT');
    await eventually(() => openai.calls === 3, 5000, 'the refresh that fails');
    // The planner failed a moment ago: the other hot plan is not refreshed now.
    expect((await askPlan(app(), goals[1]).expect(200)).headers['x-cache']).toBe('HIT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(openai.calls).toBe(3);
  });
});

describe('A background refresh that meets a running generation', () => {
  const { app, openai } = useOpenAiApp({
    PLAN_CACHE_TTL: String(TTL_MS / 1000),
    PLAN_CACHE_EARLY_REFRESH: '0.5',
    PLAN_CACHE_EARLY_REFRESH_MIN_HITS: '1',
    PLAN_CACHE_GRACE: '0',
  });

  it('joins it without counting a coalesced request: no client asked', async () => {
    const goal = 'Refresh joins a regeneration';
    await askPlan(app(), goal).expect(200);
    const created = Date.now();
    await askPlan(app(), goal).expect(200);
    await until(created, 0.6 * TTL_MS);
    const coalesced = async () =>
      (await app().http.get('/api/plan-cache/stats').set(bearer()).expect(200)).body.namespaces.plan.coalesced;
    const before = await coalesced();
    openai.latencyMs = 1_000;
    const regeneration = askPlan(app(), goal, { 'cache-control': 'no-cache', ...bearer() }).then((response) =>
      expect(response.status).toBe(200),
    );
    await eventually(() => openai.calls === 2, 2_000, 'the regeneration started');
    // A hit now is due for refresh; the refresh rides on the running regeneration.
    expect((await askPlan(app(), goal).expect(200)).headers['x-cache']).toBe('HIT');
    await regeneration;
    expect(openai.calls).toBe(2);
    expect(await coalesced()).toBe(before);
  });
});

describe('Early refresh of a tenant’s plans (PLAN_CACHE_SCOPE=tenant, LIMIT_TENANT_DAILY_TOKENS=200)', () => {
  const BUDGET = 200;
  const { app, openai } = useOpenAiApp({
    PLAN_CACHE_TTL: String(TTL_MS / 1000),
    PLAN_CACHE_EARLY_REFRESH: '0.5',
    PLAN_CACHE_EARLY_REFRESH_MIN_HITS: '1',
    PLAN_CACHE_GRACE: '0',
    PLAN_CACHE_SCOPE: 'tenant',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LIMIT_TENANT_DAILY_TOKENS: String(BUDGET),
  });

  beforeEach(() => (openai.countTokens = true));

  it('refreshes no plan of a tenant whose tokens are spent: its readers’ hits cost the planner nothing', async () => {
    const reader = bearer(await hs256Token({ sub: 'reader', tenant: 'thrifty' }));
    const first = await askPlan(app(), 'Plan the tenant’s quarterly review', reader);
    expect(first.status).toBe(200);
    const created = Date.now();
    // About 90 tokens a plan: a second fits, a third does not (the day's tokens are spent).
    expect((await askPlan(app(), 'Plan another thing entirely', reader)).status).toBe(200);
    expect((await askPlan(app(), 'Plan a third thing', reader)).status).toBe(429);
    const callsWhenSpent = openai.calls;

    await until(created, 0.6 * TTL_MS);
    for (let i = 0; i < 3; i++) {
      const hit = await askPlan(app(), 'Plan the tenant’s quarterly review', reader);
      expect([hit.status, hit.headers['x-cache'], hit.body.message]).toEqual([200, 'HIT', undefined]);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000)); // room for a refresh that must not come
    expect(openai.calls).toBe(callsWhenSpent);
    expect(openai.tokensCounted).toBeLessThanOrEqual(BUDGET + 3);
  });
});
