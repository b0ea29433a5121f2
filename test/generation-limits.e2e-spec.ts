import { eventually } from './support/eventually.js';
import { hs256Token, TEST_JWT_SECRET } from './support/jwks-server.js';
import { useOpenAiApp, useOpenAiInstancesOnRedis } from './support/openai-app.js';
import { describeWith, REDIS_SERVER } from './support/services.js';
import { readSse } from './support/sse-client.js';
import { metricsText, metricValue, metricValueIn } from './support/metrics-text.js';
import { askPlan } from './support/plan-requests.js';
import { bearer } from './support/test-app.js';
import { DEFAULT_ANSWER } from './support/fake-openai-server.js';

describe('Generation limits of anonymous callers', () => {
  const { app, openai } = useOpenAiApp({
    LIMIT_ANONYMOUS_GENERATIONS_PER_MINUTE: '3',
    LIMIT_ANONYMOUS_CHATS_PER_MINUTE: '0',
    CORS_ORIGINS: 'https://app.example.com',
  });

  it('limits generations, not hits: the fourth new goal is refused with 429 and its headers, hits still served', async () => {
    for (let i = 1; i <= 3; i++) await askPlan(app(), `Limited goal ${i}`).expect(200);
    const refused = await askPlan(app(), 'Limited goal 4');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(refused.body.message).toMatch(/At most 3 new plans a minute/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers['ratelimit-policy']).toBe('"anonymous-generations";q=3;w=60');
    expect(refused.headers.ratelimit).toMatch(/^"anonymous-generations";r=0;t=\d+$/);
    expect(openai.calls).toBe(3);
    for (let i = 1; i <= 3; i++)
      expect((await askPlan(app(), `Limited goal ${i}`).expect(200)).headers['x-cache']).toBe('HIT');
    // Before a stream opens, too: a plain HTTP error, not an event stream.
    const stream = await app().http.get('/api/chat/stream').query({ goal: 'Limited goal 5' });
    expect(stream.status).toBe(429);
    expect(stream.headers['content-type']).toMatch(/application\/json/);
    expect(stream.headers['retry-after']).toBeDefined();
    const cached = await readSse(`${app().url}/api/chat/stream?goal=${encodeURIComponent('Limited goal 1')}`);
    expect(cached.events[0].data).toMatchObject({ code: 'plan_from_cache' });
    expect(await metricValue(app(), 'rate_limit_refusals_total', { reason: 'anonymous_generations' })).toBe(2);
  });

  it('refuses anonymous chat replies by default, with 401 and a message', async () => {
    const { status, body } = await app().http.get('/api/chat/stream').query({ mode: 'chat', goal: 'Hello' });
    expect(status).toBe(401);
    expect(body.message).toMatch(/mode=chat answers authenticated callers only/);
  });
});

describe('Regenerations, cross-site requests and CORS', () => {
  const { app, openai } = useOpenAiApp({ CORS_ORIGINS: 'https://app.example.com' });

  it('answers an anonymous no-cache with a private fresh plan and leaves the shared one as it is', async () => {
    const shared = await askPlan(app(), 'Shared plan kept').expect(200);
    openai.answer = (goal) => `Someone else's plan for ${goal}\n`;
    try {
      const fresh = await askPlan(app(), 'Shared plan kept', { 'cache-control': 'no-cache' }).expect(200);
      expect(fresh.headers['x-cache']).toBe('MISS');
      expect(fresh.body.plan).toBe("Someone else's plan for Shared plan kept\n");
      const other = await askPlan(app(), 'Shared plan kept').expect(200);
      expect(other.headers['x-cache']).toBe('HIT');
      expect(other.body.plan).toBe(shared.body.plan);
      // An authenticated caller (here the operator) replaces it.
      await askPlan(app(), 'Shared plan kept', { 'cache-control': 'no-cache', ...bearer() });
      expect((await askPlan(app(), 'Shared plan kept').expect(200)).body.plan).toBe(
        "Someone else's plan for Shared plan kept\n",
      );
    } finally {
      openai.answer = DEFAULT_ANSWER;
    }
  });

  it('serves a cross-site request from the cache and refuses it (403) when it would generate', async () => {
    await askPlan(app(), 'Cached for other sites').expect(200);
    const calls = openai.calls;
    const cross = { 'sec-fetch-site': 'cross-site' };
    expect((await askPlan(app(), 'Cached for other sites').set(cross).expect(200)).headers['x-cache']).toBe('HIT');
    const refused = await askPlan(app(), 'Never generated for other sites').set(cross);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/another site/);
    const foreignOrigin = await askPlan(app(), 'Never generated for other sites').set('origin', 'https://evil.example');
    expect(foreignOrigin.status).toBe(403);
    const streamed = await app()
      .http.get('/api/chat/stream')
      .query({ goal: 'Never generated for other sites', cache_control: 'no-cache' })
      .set(cross);
    expect(streamed.status).toBe(403);
    expect(openai.calls).toBe(calls);
    // A listed origin may generate, and reads the answer through CORS.
    const allowed = await askPlan(app(), 'Generated for the app').set('origin', 'https://app.example.com').expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(allowed.headers['access-control-expose-headers']).toMatch(/ratelimit/);
    const hit = await askPlan(app(), 'Generated for the app').set('origin', 'https://app.example.com').expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers['access-control-allow-origin']).toBe('https://app.example.com');
  });

  it('answers a CORS preflight for a listed origin, and none for another', async () => {
    const preflight = await app()
      .http.options('/api/chat/plan')
      .set('origin', 'https://app.example.com')
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'content-type,authorization');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/authorization/);
    const foreign = await app()
      .http.options('/api/chat/plan')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'POST');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('Planner concurrency and tenant tokens', () => {
  const { app, openai } = useOpenAiApp({
    PLANNER_MAX_CONCURRENCY: '1',
    PLANNER_QUEUE_MAX: '1',
    PLANNER_QUEUE_TIMEOUT_MS: '5000',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
  });

  it('runs one planner call at a time, queues one more, and refuses the rest with 503 and Retry-After', async () => {
    openai.latencyMs = 600;
    const answers = await Promise.all([1, 2, 3].map((i) => askPlan(app(), `Queued goal ${i}`)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 503]);
    const busy = answers.find((answer) => answer.status === 503)!;
    expect(busy.body.message).toMatch(/planner is busy/);
    expect(busy.headers['retry-after']).toBe('1');
    expect(openai.maxInFlight).toBe(1);
    // Identical misses are one call: they never queue.
    const same = await Promise.all([1, 2, 3].map(() => askPlan(app(), 'One goal for all')));
    expect(same.map((answer) => answer.status)).toEqual([200, 200, 200]);
  });
});

describe('A tenant over its daily tokens', () => {
  const { app, openai } = useOpenAiApp({
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LIMIT_TENANT_DAILY_TOKENS: '350',
    METRICS_TENANT_LABEL: 'true',
    // Tenant names in /metrics need a token (or an internal listener on the loopback).
    METRICS_TOKEN: 'a-metrics-token-of-thirty-two-chars!',
    PLANNER_PRICE_INPUT_PER_MTOK: '2.5',
    PLANNER_PRICE_OUTPUT_PER_MTOK: '10',
  });

  it('is refused new plans once its reported tokens reach the budget, still served cached ones', async () => {
    const token = await hs256Token({ sub: 'alice', tenant: 'acme' });
    const asAcme = (goal: string) => askPlan(app(), goal, bearer(token));
    openai.usage = { prompt_tokens: 100, completion_tokens: 100 };
    await asAcme('Budget goal 1').expect(200); // 200 spent
    await asAcme('Budget goal 2').expect(200); // 400 spent: over from now on
    const refused = await asAcme('Budget goal 3');
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/350 planner tokens for today/);
    expect(refused.headers['ratelimit-policy']).toBe('"tenant-daily-tokens";q=350;w=86400');
    expect((await asAcme('Budget goal 1').expect(200)).body.saved).toEqual({
      input_tokens: 100,
      output_tokens: 100,
      estimated: false,
    });
    // Anonymous callers have no budget of tokens.
    await askPlan(app(), 'Budget goal 3').expect(200);
    // What the hit saved: in the stats answer and, per tenant, in /metrics.
    const { body: stats } = await app().http.get('/api/plan-cache/stats').set(bearer()).expect(200);
    expect(stats.savings).toEqual({
      input_tokens: 100,
      output_tokens: 100,
      generation_seconds: expect.any(Number),
      cost: 0.00125,
    });
    const metrics = await metricsText(app(), bearer('a-metrics-token-of-thirty-two-chars!'));
    expect(metricValueIn(metrics, 'plan_cache_saved_tokens_total', { tenant: 'acme', direction: 'input' })).toBe(100);
    expect(metricValueIn(metrics, 'plan_cache_saved_cost_total', { tenant: 'acme' })).toBe(0.00125);
    expect(metricValueIn(metrics, 'planner_tokens_total', { provider: 'openai', direction: 'output' })).toBe(300);
    expect(metricValueIn(metrics, 'rate_limit_refusals_total', { reason: 'tenant_tokens' })).toBe(1);
  });
});

describeWith(REDIS_SERVER)('Limits shared by instances on one Redis', () => {
  const { apps, redisServer } = useOpenAiInstancesOnRedis({
    redis: 'own',
    variables: { LIMIT_ANONYMOUS_GENERATIONS_PER_MINUTE: '4' },
  });

  it('counts one budget across instances, and falls back to each instance’s own while Redis is away', async () => {
    const [a, b] = apps();
    await askPlan(a, 'Shared budget 1').expect(200);
    await askPlan(b, 'Shared budget 2').expect(200);
    await askPlan(a, 'Shared budget 3').expect(200);
    await askPlan(b, 'Shared budget 4').expect(200);
    expect((await askPlan(a, 'Shared budget 5')).status).toBe(429);
    expect((await askPlan(b, 'Shared budget 5')).status).toBe(429);
    await redisServer().kill();
    // Without Redis: neither open (each instance counts its own) nor closed to everyone.
    const during = [];
    for (let i = 0; i < 5; i++) during.push((await askPlan(a, `During the outage ${i}`)).status);
    expect(during.filter((status) => status === 200).length).toBe(4);
    expect(during.filter((status) => status === 429).length).toBe(1);
    await redisServer().start();
    await eventually(async () => (await a.http.get('/health/ready')).body.info?.redis?.status === 'up', 10_000);
  });
});

describe('Limits of authenticated callers and anonymous chats', () => {
  const { app } = useOpenAiApp({
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LIMIT_AUTHENTICATED_GENERATIONS_PER_MINUTE: '2',
    LIMIT_ANONYMOUS_CHATS_PER_MINUTE: '1',
  });

  it('gives each subject its own budget, and anonymous chats their own allowance', async () => {
    const tokenOf = (sub: string) => hs256Token({ sub });
    const alice = `Bearer ${await tokenOf('alice')}`;
    for (let i = 1; i <= 2; i++) await askPlan(app(), `Alice goal ${i}`).set('authorization', alice).expect(200);
    const refused = await askPlan(app(), 'Alice goal 3').set('authorization', alice);
    expect(refused.status).toBe(429);
    expect(refused.headers['ratelimit-policy']).toBe('"generations";q=2;w=60');
    await askPlan(app(), 'Bob goal 1')
      .set('authorization', `Bearer ${await tokenOf('bob')}`)
      .expect(200);

    const chat = await readSse(`${app().url}/api/chat/stream?mode=chat&goal=Hello`);
    expect(chat.events.at(-1)?.event).toBe('done');
    const second = await app().http.get('/api/chat/stream').query({ mode: 'chat', goal: 'Hello again' });
    expect(second.status).toBe(429);
    expect(second.headers['ratelimit-policy']).toBe('"anonymous-chats";q=1;w=60');
    expect(second.body.message).toMatch(/chat replies a minute/);
  });

  it('gives a token whose sub is "operator" a budget of its own, apart from the admin token’s', async () => {
    for (let i = 1; i <= 2; i++) await askPlan(app(), `Operator goal ${i}`).set(bearer()).expect(200);
    expect((await askPlan(app(), 'Operator goal 3').set(bearer())).status).toBe(429);
    const namedOperator = `Bearer ${await hs256Token({ sub: 'operator' })}`;
    for (let i = 1; i <= 2; i++)
      await askPlan(app(), `Named operator goal ${i}`).set('authorization', namedOperator).expect(200);
    expect((await askPlan(app(), 'Named operator goal 3').set('authorization', namedOperator)).status).toBe(429);
  });
});

describe('Open streams per caller', () => {
  const { app, openai } = useOpenAiApp({
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LIMIT_ANONYMOUS_GENERATIONS_PER_MINUTE: '1',
    LIMIT_STREAMS_PER_CALLER: '20',
  });

  it('holds 20 open streams of one address joined to one generation, refuses the rest with 429, and frees them on close', async () => {
    openai.hang = true;
    const url = `${app().url}/api/chat/stream?goal=${encodeURIComponent('Held open by one address')}`;
    const clients = Array.from({ length: 25 }, () => new AbortController());
    try {
      const answers = await Promise.all(clients.map((client) => fetch(url, { signal: client.signal })));
      const open = answers.filter((answer) => answer.status === 200);
      const refused = answers.filter((answer) => answer.status === 429);
      expect(open.length).toBe(20);
      expect(refused.length).toBe(5);
      for (const answer of open) expect(answer.headers.get('content-type')).toMatch(/text\/event-stream/);
      const body = (await refused[0].json()) as { message: string };
      expect(body.message).toMatch(/At most 20 open streams per caller/);
      expect(Number(refused[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(openai.calls).toBe(1);
      // Another caller is not refused for this address's streams.
      const signedIn = new AbortController();
      clients.push(signedIn);
      const other = await fetch(url, {
        signal: signedIn.signal,
        headers: { authorization: `Bearer ${await hs256Token({ sub: 'stream-reader' })}` },
      });
      expect(other.status).toBe(200);
      expect(await metricValue(app(), 'rate_limit_refusals_total', { reason: 'streams_per_caller' })).toBe(5);
    } finally {
      for (const client of clients) client.abort();
      openai.hang = false;
    }
    // Closed streams give their places back: the address opens 20 streams again (answered at once,
    // `only-if-cached` generates nothing).
    const probe = () =>
      app().http.get('/api/chat/stream').query({ goal: 'After the streams closed', cache_control: 'only-if-cached' });
    await eventually(
      async () => (await Promise.all(Array.from({ length: 20 }, probe))).every((answer) => answer.status === 200),
      10_000,
      'every place given back',
    );
    expect((await probe()).text).toMatch(/event: error/);
  });
});
