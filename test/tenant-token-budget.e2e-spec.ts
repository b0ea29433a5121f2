import { eventually } from './support/eventually.js';
import { hs256Token, TEST_JWT_SECRET } from './support/jwks-server.js';
import { useOpenAiInstancesOnRedis } from './support/openai-app.js';
import { askPlan, fetchPlan } from './support/plan-requests.js';
import { describeWith, POSTGRES, REDIS_SERVER } from './support/services.js';
import { readSse } from './support/sse-client.js';
import { bearer, type TestApp } from './support/test-app.js';

/**
 * What one call may count beyond its reservation: the planner rounds each message up to a whole
 * token where the service estimates the same text (3 for a prompt of two messages and an answer).
 */
const ONE_CALL_ROUNDING = 3;

/**
 * Two instances sharing a redis-server of their own and a PostgreSQL database, planning through
 * one OpenAI-compatible server that counts the tokens of what it is sent and writes.
 */
function useTenantBudgetInstances(dailyTokens: number) {
  const { apps, openai } = useOpenAiInstancesOnRedis({
    redis: 'own',
    postgres: true,
    variables: { AUTH_JWT_SECRET: TEST_JWT_SECRET, LIMIT_TENANT_DAILY_TOKENS: String(dailyTokens) },
  });
  beforeEach(() => {
    openai.latencyMs = 300;
    openai.countTokens = true;
  });
  return { apps: () => apps() as [TestApp, TestApp], openai };
}

/** The headers of a caller of `tenant`. */
const tenantCaller = async (tenant: string, sub = 'alice') => bearer(await hs256Token({ sub, tenant }));

function expectTokenRefusal(answer: { status: number; headers: Record<string, string>; body: any }, budget: number) {
  expect(answer.status).toBe(429);
  expect(answer.body.message).toMatch(new RegExp(`spent its ${budget} planner tokens for today`));
  const retryAfter = Number(answer.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(86_400);
  expect(answer.headers['ratelimit-policy']).toBe(`"tenant-daily-tokens";q=${budget};w=86400`);
  expect(answer.headers.ratelimit).toMatch(/^"tenant-daily-tokens";r=\d+;t=\d+$/);
}

describeWith(REDIS_SERVER, POSTGRES)('A tenant’s daily tokens on two instances sharing Redis: 100 a day', () => {
  const BUDGET = 100;
  const { apps, openai } = useTenantBudgetInstances(BUDGET);

  it('lets 8 concurrent plans of one tenant spend at most its budget (plus one call’s rounding) as the planner counts them, however much each answer may write', async () => {
    openai.fillMaxTokens = true; // every answer writes all the max_tokens it is allowed
    const caller = await tenantCaller('acme');
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => askPlan(apps()[i % 2], `Concurrent plan ${i}`, caller)),
    );
    const answered = answers.filter((answer) => answer.status === 200);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(answered.length + refused.length).toBe(8);
    expect(answered.length).toBeGreaterThanOrEqual(1);
    for (const answer of refused) expectTokenRefusal(answer, BUDGET);
    // The planner's own count: prompts and answers of every call it was sent.
    expect(openai.calls).toBe(answered.length);
    expect(openai.tokensCounted).toBeLessThanOrEqual(BUDGET + ONE_CALL_ROUNDING);
    for (const request of openai.requests) expect(request.max_tokens).toBeLessThan(BUDGET);
    // Cut at its max_tokens: answered, marked truncated, and not kept for others.
    for (const answer of answered) expect(answer.body).toMatchObject({ truncated: true });
    // The next day's worth is not there yet: a later plan is refused before anything is sent.
    expectTokenRefusal(await askPlan(apps()[0], 'One more plan', caller), BUDGET);
    expect(openai.calls).toBe(answered.length);
  });
});

describeWith(REDIS_SERVER, POSTGRES)('A tenant’s daily tokens on two instances sharing Redis: 300 a day', () => {
  const BUDGET = 300;
  const { apps, openai } = useTenantBudgetInstances(BUDGET);

  it('settles each call at its real usage: short answers give the rest back, so several plans fit, and never more than the budget', async () => {
    // 85 tokens a call (60 of prompt, 25 of answer): checking before and counting after let a
    // fourth call start at 255 of 300 and end at 340.
    openai.answer = (goal) => `Plan for ${goal}\n`.padEnd(100, '.');
    const caller = await tenantCaller('globex');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const answer = await askPlan(apps()[i % 2], `Settled plan ${i}`, caller);
      statuses.push(answer.status);
      if (answer.status === 429) expectTokenRefusal(answer, BUDGET);
    }
    const answered = statuses.filter((status) => status === 200).length;
    // Without the refund the first reservation (its prompt and up to PLANNER_MAX_TOKENS) holds the day.
    expect(answered).toBe(3);
    expect(statuses).toEqual([...Array<number>(answered).fill(200), ...Array<number>(8 - answered).fill(429)]);
    expect(openai.calls).toBe(answered);
    expect(openai.tokensCounted).toBeLessThanOrEqual(BUDGET + ONE_CALL_ROUNDING);
  });

  it('gives back the reservation of calls the planner refused, and reserves nothing for requests that join a running generation', async () => {
    const caller = await tenantCaller('initech');
    openai.failWith = { status: 500, message: 'The model is overloaded' };
    for (let i = 0; i < 4; i++) {
      const failed = await askPlan(apps()[i % 2], `Failed plan ${i}`, caller);
      expect(failed.status).toBe(503);
    }
    openai.failWith = undefined;
    // Eight requests for one goal on one instance: one call, and the seven others joined it for free
    // (had they reserved, the first call's reservation, the whole budget, would have refused them).
    const joined = await Promise.all(Array.from({ length: 8 }, () => askPlan(apps()[0], 'One goal for all', caller)));
    expect(joined.map((answer) => answer.status)).toEqual(Array<number>(8).fill(200));
    expect(openai.calls).toBe(5);
    // The failed calls cost nothing: the budget still holds the plans a fresh tenant would get.
    const after = await askPlan(apps()[1], 'After', caller);
    expect(after.status).toBe(200);
    expect(openai.tokensCounted).toBeLessThanOrEqual(BUDGET + ONE_CALL_ROUNDING);
  });

  it('reserves enough for Cyrillic and CJK goals, which take more tokens a character than English: 8 concurrent plans stay within the budget', async () => {
    openai.fillMaxTokens = true;
    const caller = await tenantCaller('roscosmos');
    const goals = Array.from({ length: 8 }, (_, i) =>
      i % 2 === 0
        ? `Спланируй переезд офиса номер ${i} в новое здание: мебель, сеть, документы и люди`
        : `为第${i}个办公室制定搬迁计划：家具、网络、文件和人员都要安排妥当`,
    );
    const answers = await Promise.all(goals.map((goal, i) => askPlan(apps()[i % 2], goal, caller)));
    const answered = answers.filter((answer) => answer.status === 200);
    expect(answered.length).toBeGreaterThanOrEqual(1);
    for (const answer of answers.filter((answer) => answer.status !== 200)) expectTokenRefusal(answer, BUDGET);
    expect(openai.calls).toBe(answered.length);
    // Each reservation covered the prompt as the planner counts it, so the answers fit in the rest.
    expect(openai.tokensCounted).toBeLessThanOrEqual(BUDGET + ONE_CALL_ROUNDING);
  });

  it('keeps the whole reservation of calls whose clients hung up: a planner that bills max_tokens is never paid beyond the budget', async () => {
    openai.fillMaxTokens = true; // the planner finishes, and bills, every answer it was asked for
    openai.latencyMs = 1_000;
    const caller = await tenantCaller('hooli');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const hangUp = new AbortController();
      const calls = openai.calls;
      const answer = fetchPlan(apps()[0].url, `Abandoned plan ${i}`, caller, { signal: hangUp.signal }).then(
        (response) => response.status,
        () => 0, // hung up
      );
      // Hang up once the planner has the request, or as soon as the service refuses it.
      const planned = eventually(() => openai.calls > calls, 10_000, 'the planner has the request');
      await Promise.race([answer, planned.catch(() => undefined)]);
      hangUp.abort();
      statuses.push(await answer);
      // The service cancelled the call; its reservation is settled a Redis round trip later.
      if (openai.calls > calls) await eventually(() => openai.aborted >= openai.calls, 10_000, 'the call cancelled');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // The first call holds the whole day; the others are refused before anything is sent.
    expect(statuses[0]).toBe(0);
    expect(statuses.slice(1)).toEqual([429, 429, 429]);
    expect(openai.calls).toBe(1);
    expect(openai.tokensCounted).toBeLessThanOrEqual(BUDGET + ONE_CALL_ROUNDING);
  });

  it('charges a 2xx answer broken off in the middle: its usage is unknown, so the reservation stays spent', async () => {
    openai.fillMaxTokens = true;
    openai.breakOff = true;
    const caller = await tenantCaller('vandelay');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await askPlan(apps()[i % 2], `Broken plan ${i}`, caller);
      statuses.push(answer.status);
      if (answer.status === 429) expectTokenRefusal(answer, BUDGET);
    }
    expect(statuses).toEqual([503, 429, 429]);
    expect(openai.calls).toBe(1);
    expect(openai.tokensCounted).toBeLessThanOrEqual(BUDGET + ONE_CALL_ROUNDING);
  });

  it('reserves for chat replies too: a reply stops at what the budget covers, and the next is refused before its stream opens', async () => {
    openai.fillMaxTokens = true;
    const caller = await tenantCaller('umbrella');
    const reply = await readSse(`${apps()[0].url}/api/chat/stream?mode=chat&goal=Hello`, {
      headers: caller,
    });
    expect(reply.status).toBe(200);
    expect(reply.events.at(-1)).toMatchObject({ event: 'done', data: { truncated: true } });
    expect(openai.requests[0].max_tokens).toBeLessThan(BUDGET);
    expect(openai.tokensCounted).toBeLessThanOrEqual(BUDGET + ONE_CALL_ROUNDING);
    const refused = await apps()[1]
      .http.get('/api/chat/stream')
      .query({ mode: 'chat', goal: 'Hello again' })
      .set(caller);
    expect(refused.headers['content-type']).toMatch(/application\/json/);
    expectTokenRefusal(refused, BUDGET);
    expect(openai.calls).toBe(1);
  });
});
