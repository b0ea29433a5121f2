import { eventually } from './support/eventually.js';
import { AUDIENCE, hs256Token, ISSUER, JwksServer, TEST_JWT_SECRET, unsignedToken } from './support/jwks-server.js';
import { useOpenAiApp } from './support/openai-app.js';
import { askPlan, cachedSource } from './support/plan-requests.js';
import { bearer, startTestApp, useTestApp, type TestApp } from './support/test-app.js';

describe('Callers with JWTs from a JWKS', () => {
  const jwks = new JwksServer();
  beforeAll(() => jwks.start());
  afterAll(() => jwks.stop());
  const { app, openai } = useOpenAiApp(() => ({
    AUTH_JWKS_URL: jwks.url,
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    PLAN_CACHE_SCOPE: 'tenant',
  }));

  it('serves a caller with a valid token, and again from the cache', async () => {
    const token = await jwks.sign({ sub: 'alice', tenant: 'acme' });
    const first = await askPlan(app(), 'Verified goal', bearer(token)).expect(200);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(first.body.key).toMatch(/^plan:[0-9a-f]{32}:[0-9a-f]{16}$/);
    const again = await askPlan(app(), 'Verified goal', bearer(token)).expect(200);
    expect(again.headers['x-cache']).toBe('HIT');
    expect(again.body.key).toBe(first.body.key);
  });

  it.each([
    ['expired', { sub: 'alice', exp: Math.floor(Date.now() / 1000) - 60 }, /expired/],
    ['not yet valid', { sub: 'alice', nbf: Math.floor(Date.now() / 1000) + 3600 }, /not valid yet/],
    ['from another issuer', { sub: 'alice', iss: 'https://evil.example' }, /issuer/],
    ['for another audience', { sub: 'alice', aud: 'another-service' }, /audience/],
    ['without a subject', { tenant: 'acme' }, /subject/],
    ['without an expiry', { sub: 'alice', tenant: 'acme', exp: undefined }, /does not expire/],
    ['without a tenant claim, in the tenant scope', { sub: 'alice' }, /names no tenant/],
  ])('refuses a token %s with 401 and says why', async (_case, claims, message) => {
    const token = await jwks.sign(claims);
    const { body, headers } = await askPlan(app(), 'Refused goal', bearer(token)).expect(401);
    expect(body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    expect(body.message).toMatch(message);
    expect(headers['www-authenticate']).toBe('Bearer');
  });

  it('refuses alg none, a key the provider does not publish, a forged signature and a malformed header', async () => {
    const none = await askPlan(app(), 'Refused goal', bearer(unsignedToken({ sub: 'mallory' }))).expect(401);
    expect(none.body.message).toMatch(/algorithm|not a valid/);
    const stranger = await jwks.sign({ sub: 'mallory' }, { kid: 'stranger', key: await JwksServer.unpublishedKey() });
    expect((await askPlan(app(), 'Refused goal', bearer(stranger)).expect(401)).body.message).toMatch(
      /key the identity provider/,
    );
    const valid = await jwks.sign({ sub: 'alice' });
    const [header, payload] = valid.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'admin', iss: ISSUER, aud: AUDIENCE })).toString('base64url')}.${valid.split('.')[2]}`;
    expect(payload).not.toBe(forged.split('.')[1]);
    expect((await askPlan(app(), 'Refused goal', bearer(forged)).expect(401)).body.message).toMatch(/signature/);
    const malformed = await askPlan(app(), 'x', { authorization: 'Basic abc' });
    expect(malformed.status).toBe(401);
    expect(malformed.body.message).toMatch(/Bearer <token>/);
  });

  it('never answers a refused token from the cache, even for a cached plan', async () => {
    const token = await jwks.sign({ sub: 'alice', tenant: 'acme' });
    await askPlan(app(), 'Cached then probed', bearer(token)).expect(200);
    const expired = await jwks.sign({ sub: 'alice', tenant: 'acme', exp: Math.floor(Date.now() / 1000) - 60 });
    await askPlan(app(), 'Cached then probed', bearer(expired)).expect(401);
  });

  it('honours a rotated key: a token of a key published later verifies within seconds', async () => {
    await jwks.addKey('second');
    const fetches = jwks.fetches;
    const token = await jwks.sign({ sub: 'bob', tenant: 'acme' }, { kid: 'second' });
    // The key set is fetched again for an unknown key id, at most every 5 s.
    await eventually(
      async () => (await askPlan(app(), 'After rotation', bearer(token))).status === 200,
      8_000,
      'the rotated key',
    );
    expect(jwks.fetches).toBeGreaterThan(fetches);
  });

  it('keeps tenants apart: another tenant neither reads, probes nor replaces a plan', async () => {
    const acme = await jwks.sign({ sub: 'alice', tenant: 'acme' });
    const globex = await jwks.sign({ sub: 'carol', tenant: 'globex' });
    const mine = await askPlan(app(), 'Tenant secret plan', bearer(acme)).expect(200);
    const theirs = await askPlan(app(), 'Tenant secret plan', bearer(globex)).expect(200);
    expect(theirs.headers['x-cache']).toBe('MISS');
    expect(theirs.body.key).not.toBe(mine.body.key);
    const initech = bearer(await jwks.sign({ sub: 'dave', tenant: 'initech' }));
    expect(await cachedSource(app(), 'Tenant secret plan', initech)).toBe('status 504');
    // Another tenant's regeneration (Cache-Control: no-cache) makes a plan of its own, and the first stays.
    openai.answer = (goal) => `Globex's regenerated plan for ${goal}\n`;
    const regenerated = await askPlan(app(), 'Tenant secret plan', {
      ...bearer(globex),
      'cache-control': 'no-cache',
    }).expect(200);
    expect(regenerated.body).toMatchObject({
      source: 'generator',
      plan: "Globex's regenerated plan for Tenant secret plan\n",
    });
    const unchanged = await askPlan(app(), 'Tenant secret plan', bearer(acme)).expect(200);
    expect(unchanged.headers['x-cache']).toBe('HIT');
    expect(unchanged.body).toMatchObject({ key: mine.body.key, plan: mine.body.plan });
    // A subject named like the tenant is not the tenant: without a tenant claim, no plan at all.
    const named = await askPlan(app(), 'Tenant secret plan', bearer(await jwks.sign({ sub: 'acme' })));
    expect(named.status).toBe(401);
    expect(named.body.message).toMatch(/names no tenant/);
  });

  it('counts hits, misses and savings by scope in the stats answer', async () => {
    const umbrella = await jwks.sign({ sub: 'frank', tenant: 'umbrella' });
    const hooli = await jwks.sign({ sub: 'gavin', tenant: 'hooli' });
    await askPlan(app(), 'Scoped stats goal', bearer(umbrella)).expect(200);
    await askPlan(app(), 'Scoped stats goal', bearer(umbrella)).expect(200);
    await askPlan(app(), 'Scoped stats goal', bearer(hooli)).expect(200);
    const { body } = await app().http.get('/api/plan-cache/stats').set(bearer()).expect(200);
    const scope = (tenant: string) => body.scopes.find((s: { tenant: string | null }) => s.tenant === tenant);
    expect(body.scopes[0]).toMatchObject({ scope: 'shared', tenant: null });
    expect(scope('umbrella')).toEqual({
      scope: 'tenant',
      tenant: 'umbrella',
      hits: 1,
      misses: 1,
      hit_ratio: 0.5,
      savings: { input_tokens: 120, output_tokens: 80, generation_seconds: expect.any(Number), cost: 0 },
    });
    expect(scope('hooli')).toMatchObject({ hits: 0, misses: 1, savings: { input_tokens: 0, output_tokens: 0 } });
    const hits = body.scopes.reduce((sum: number, s: { hits: number }) => sum + s.hits, 0);
    expect(hits).toBe(body.namespaces.plan.hits);
  });

  it('serves anonymous callers the shared scope', async () => {
    const first = await askPlan(app(), 'Public goal').expect(200);
    expect(first.body.key).toMatch(/^plan:[0-9a-f]{16}$/);
    expect((await askPlan(app(), 'Public goal').expect(200)).headers['x-cache']).toBe('HIT');
  });
});

describe('A subject named like a tenant (semantic matching on, PLAN_CACHE_SCOPE=tenant)', () => {
  const variables = {
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    PLAN_CACHE_SCOPE: 'tenant',
    PLAN_CACHE_SEMANTIC_ENABLED: 'true',
    PLAN_CACHE_SEMANTIC_VERIFY_RATE: '0',
  };
  const tenantRequired = useOpenAiApp(variables);
  const tenantOptional = useOpenAiApp({ ...variables, AUTH_TENANT_REQUIRED: 'false' });
  const asTenantAcme = async () => bearer(await hs256Token({ sub: 'alice', tenant: 'acme' }));
  const asSubjectAcme = async () => bearer(await hs256Token({ sub: 'acme' }));
  const goal = 'Rotate the payroll database credentials';
  const feedback = (app: () => TestApp, key: string, caller: Record<string, string>) =>
    app()
      .http.post('/api/chat/plan/feedback')
      .set(caller)
      .send({ key, goal: `please ${goal}`, wrong: false });

  it('is refused (401) by default: it can neither read the tenant’s plan nor judge it', async () => {
    const { app, openai } = tenantRequired;
    const cached = await askPlan(app(), goal, await asTenantAcme());
    expect(cached.status).toBe(200);
    const read = await askPlan(app(), goal, await asSubjectAcme());
    expect(read.status).toBe(401);
    expect(read.body.message).toMatch(/names no tenant \(tenant claim\)/);
    const streamed = await app()
      .http.get('/api/chat/stream')
      .set(await asSubjectAcme())
      .query({ goal });
    expect(streamed.status).toBe(401);
    const judged = await feedback(app, cached.body.key, await asSubjectAcme());
    expect(judged.status).toBe(401);
    expect(openai.calls).toBe(1);
  });

  it('lives in a namespace of its own with AUTH_TENANT_REQUIRED=false: a miss, and 404 to feedback on the tenant’s plan', async () => {
    const { app, openai } = tenantOptional;
    const tenants = await askPlan(app(), goal, await asTenantAcme());
    expect(tenants.status).toBe(200);
    const own = await askPlan(app(), goal, await asSubjectAcme());
    expect(own.status).toBe(200);
    expect(own.headers['x-cache']).toBe('MISS');
    expect(own.body.key).not.toBe(tenants.body.key);
    expect(openai.calls).toBe(2);
    expect((await feedback(app, tenants.body.key, await asSubjectAcme())).status).toBe(404);
    // Its own plan it reads as a hit, and the tenant's stays the tenant's.
    const again = await askPlan(app(), goal, await asSubjectAcme());
    expect(again.headers['x-cache']).toBe('HIT');
    expect(again.body.key).toBe(own.body.key);
    // No claim can name a subject's own tenant.
    const claimed = await askPlan(app(), goal, bearer(await hs256Token({ sub: 'mallory', tenant: 'subject:acme' })));
    expect(claimed.status).toBe(401);
    expect(claimed.body.message).toMatch(/may not start with "subject:"/);
  });
});

describe('Callers with HS256 tokens, anonymous callers refused', () => {
  const app = useTestApp({ AUTH_JWT_SECRET: TEST_JWT_SECRET, AUTH_ANONYMOUS: 'false', PLANS_CACHE_WARM: 'false' });

  it('answers 401 without a token on every plan route, with a message', async () => {
    for (const request of [
      askPlan(app(), 'Anonymous'),
      app().http.get('/api/chat/stream').query({ goal: 'Anonymous' }),
      app().http.post('/api/chat/stream').send({ goal: 'Anonymous' }),
    ]) {
      const { status, body } = await request;
      expect(status).toBe(401);
      expect(body.message).toMatch(/authenticated callers only/);
    }
  });

  it('serves a token signed with the secret, refuses one signed with another', async () => {
    await askPlan(app(), 'Signed with the secret', bearer(await hs256Token({ sub: 'alice' }))).expect(200);
    const other = await askPlan(
      app(),
      'Signed with the secret',
      bearer(await hs256Token({ sub: 'alice' }, 'another-secret-of-at-least-thirty-two-chars')),
    );
    expect(other.status).toBe(401);
    expect(other.body.message).toMatch(/signature/);
  });

  it('keeps the admin token for the operator: it is no JWT, and still opens the admin API', async () => {
    await askPlan(app(), 'Operator', bearer()).expect(200);
    await app().http.get('/api/plan-cache/stats').set('authorization', 'Bearer test-admin-token').expect(200);
  });
});

describe('Bearer tokens when no verification is configured', () => {
  it('refuses them with 401 rather than treating the caller as anonymous', async () => {
    const app = await startTestApp({ PLANS_CACHE_WARM: 'false' });
    try {
      const { status, body } = await askPlan(app, 'Unverifiable', bearer('some.jwt.token'));
      expect(status).toBe(401);
      expect(body.message).toMatch(/verifies no bearer tokens/);
    } finally {
      await app.close();
    }
  });
});

describe('Clearing a tenant’s plan', () => {
  const { app, openai } = useOpenAiApp({ AUTH_JWT_SECRET: TEST_JWT_SECRET, PLAN_CACHE_SCOPE: 'tenant' });

  it('clears the plan of one tenant by goal, leaving the shared one', async () => {
    const token = await hs256Token({ sub: 'alice', tenant: 'acme' });
    const asAcme = () => askPlan(app(), 'Cleared per tenant', bearer(token));
    await asAcme().expect(200);
    await askPlan(app(), 'Cleared per tenant').expect(200);
    const { body } = await app()
      .http.post('/api/plan-cache/clear')
      .set('authorization', 'Bearer test-admin-token')
      .send({ goal: 'Cleared per tenant', tenant: 'acme' })
      .expect(200);
    expect(body.cleared).toBe(1);
    expect((await asAcme().expect(200)).headers['x-cache']).toBe('MISS');
    const shared = await askPlan(app(), 'Cleared per tenant').expect(200);
    expect(shared.headers['x-cache']).toBe('HIT');
    expect(openai.calls).toBe(3);
  });
});
