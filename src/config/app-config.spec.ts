import { AppConfig, InvalidConfigurationError } from './app-config.js';

function problemsOf(variables: Record<string, string>): string {
  try {
    AppConfig.from(variables);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(variables)} to be refused`);
}

describe('AppConfig', () => {
  it('applies the documented defaults when nothing is set', () => {
    const config = AppConfig.from({});
    expect(config.http).toEqual({
      port: 3000,
      host: '0.0.0.0',
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 72_000,
      maxConnections: 10_000,
      trustProxy: false,
      corsOrigins: [],
    });
    expect(config.operations).toEqual({ port: undefined, host: '0.0.0.0', metricsToken: undefined });
    expect(config.database).toEqual({ url: undefined, dataDir: './data', seed: true, pgliteSharedBuffersMb: 16 });
    expect(config.taskPlanCache).toEqual({
      enabled: true,
      ttlMs: 3_600_000,
      maxEntries: 100,
      minGenerationMs: 2000,
      graceMs: 86_400_000,
      earlyRefresh: 0.8,
      earlyRefreshMinHits: 3,
      refreshConcurrency: 2,
      preloadTop: 50,
    });
    expect(config.experiment).toBeUndefined();
    expect(config.planListCache).toEqual({ ttlMs: 300_000, maxEntries: 1000, warm: true });
    expect(config.redis).toEqual({
      enabled: false,
      topology: { mode: 'standalone', url: 'redis://127.0.0.1:6379' },
      username: undefined,
      password: undefined,
      tls: undefined,
      keyPrefix: 'plan-cache',
      timeoutMs: 200,
      requiredForReadiness: false,
      lockLeaseMs: 3000,
    });
    expect(config.planner.provider).toBe('builtin');
    expect(config.planner.builtinDelayMs).toBe(2500);
    expect(config.planner.maxPlanChars).toBe(20_000);
    expect(config.planner.maxTokens).toBe(4096);
    expect(config.admin.token).toBeUndefined();
  });

  it('converts strings to typed values and ignores unrelated variables', () => {
    const config = AppConfig.from({
      PORT: '8080',
      PLAN_CACHE_ENABLED: 'false',
      PLAN_CACHE_MIN_GEN_TIME: '0.5',
      PATH: '/usr/bin',
      DATABASE_URL: '',
    });
    expect(config.http.port).toBe(8080);
    expect(config.taskPlanCache.enabled).toBe(false);
    expect(config.taskPlanCache.minGenerationMs).toBe(500);
    expect(config.database.url).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PLAN_CACHE_TTL: '-1' }, 'PLAN_CACHE_TTL'],
    [{ PLANNER_PROVIDER: 'foo' }, 'PLANNER_PROVIDER'],
    [{ PLAN_CACHE_ENABLED: 'maybe' }, 'PLAN_CACHE_ENABLED'],
    [{ DATABASE_URL: 'mysql://db/plans' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ PLANNER_PROVIDER: 'openai' }, 'PLANNER_BASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ PLAN_CACHE_EARLY_REFRESH: '1' }, 'PLAN_CACHE_EARLY_REFRESH'],
    [{ PLAN_CACHE_REFRESH_CONCURRENCY: '0' }, 'PLAN_CACHE_REFRESH_CONCURRENCY'],
    [{ REDIS_KEY_PREFIX: 'plan cache:*' }, 'REDIS_KEY_PREFIX'],
    [{ SHUTDOWN_DELAY_MS: '-5' }, 'SHUTDOWN_DELAY_MS'],
    [{ METRICS_ENABLED: 'sometimes' }, 'METRICS_ENABLED'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: 'proxy.example' }, 'TRUST_PROXY'],
    [{ HTTP_REQUEST_TIMEOUT_MS: '0' }, 'HTTP_REQUEST_TIMEOUT_MS'],
    [{ PLANNER_MAX_PLAN_CHARS: '10' }, 'PLANNER_MAX_PLAN_CHARS'],
    [{ DATABASE_SEED: 'perhaps' }, 'DATABASE_SEED'],
  ])('refuses %j naming %s', (variables, name) => {
    expect(problemsOf(variables)).toContain(name);
  });

  it('refuses a short admin token in production without echoing it', () => {
    const message = problemsOf({ NODE_ENV: 'production', ADMIN_TOKEN: 'short-secret' });
    expect(message).toContain('ADMIN_TOKEN must be at least 32 characters in production');
    expect(message).not.toContain('short-secret');
  });

  it('trusts no proxy unless told, then the hops or the addresses named', () => {
    expect(AppConfig.from({}).http.trustProxy).toBe(false);
    expect(AppConfig.from({ TRUST_PROXY: '10.0.0.0/8, loopback,::1' }).http.trustProxy).toEqual([
      '10.0.0.0/8',
      'loopback',
      '::1',
    ]);
    const hops = AppConfig.from({ TRUST_PROXY: '1' }).http.trustProxy as (address: string, hop: number) => boolean;
    expect([hops('10.0.0.1', 0), hops('10.0.0.2', 1)]).toEqual([true, false]);
  });

  it('seeds sample data in development only, unless DATABASE_SEED says otherwise', () => {
    expect(AppConfig.from({ NODE_ENV: 'development' }).database.seed).toBe(true);
    expect(AppConfig.from({ NODE_ENV: 'production', ADMIN_TOKEN: 'x'.repeat(32) }).database.seed).toBe(false);
    expect(AppConfig.from({ NODE_ENV: 'test' }).database.seed).toBe(false);
    expect(
      AppConfig.from({ NODE_ENV: 'production', ADMIN_TOKEN: 'x'.repeat(32), DATABASE_SEED: 'true' }).database.seed,
    ).toBe(true);
  });

  it('hides the password of any URL in its messages', () => {
    const message = problemsOf({ DATABASE_URL: 'postgres://plans:hunter2@db:5432/plans with space' });
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain('hunter2');
    const redis = problemsOf({ REDIS_URL: 'redis://:s3cret@redis:6379 x' });
    expect(redis).not.toContain('s3cret');
  });

  describe('in production, with tokens verified', () => {
    const production = { NODE_ENV: 'production', ADMIN_TOKEN: 'x'.repeat(32), AUTH_JWT_SECRET: 'j'.repeat(32) };

    it('refuses to start without AUTH_ISSUER or AUTH_AUDIENCE, naming the variable', () => {
      expect(problemsOf({ ...production, AUTH_AUDIENCE: 'plan-cache' })).toContain('AUTH_ISSUER must be set');
      expect(problemsOf({ ...production, AUTH_ISSUER: 'https://id.example' })).toContain('AUTH_AUDIENCE must be set');
      const jwks = { ...production, AUTH_JWT_SECRET: '', AUTH_JWKS_URL: 'https://id.example/jwks.json' };
      expect(problemsOf(jwks)).toMatch(/AUTH_ISSUER must be set.*AUTH_AUDIENCE must be set/);
    });

    it('takes any audience only when AUTH_ALLOW_ANY_AUDIENCE=true says so, never any issuer', () => {
      const config = AppConfig.from({
        ...production,
        AUTH_ISSUER: 'https://id.example',
        AUTH_ALLOW_ANY_AUDIENCE: 'true',
      });
      expect(config.auth.audience).toBeUndefined();
      expect(problemsOf({ ...production, AUTH_ALLOW_ANY_AUDIENCE: 'true' })).toContain('AUTH_ISSUER must be set');
    });

    it('needs PLAN_CACHE_SCOPE_SECRET with PLAN_CACHE_SCOPE=tenant, and hides it when too short', () => {
      const tenant = { ...production, AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a', PLAN_CACHE_SCOPE: 'tenant' };
      expect(problemsOf(tenant)).toContain('PLAN_CACHE_SCOPE_SECRET must be set in production');
      const short = problemsOf({ ...tenant, PLAN_CACHE_SCOPE_SECRET: 'short-scope-secret' });
      expect(short).toContain('PLAN_CACHE_SCOPE_SECRET must be at least 32 characters');
      expect(short).not.toContain('short-scope-secret');
      expect(AppConfig.from({ ...tenant, PLAN_CACHE_SCOPE_SECRET: 's'.repeat(32) }).cacheScopeSecret).toBe(
        's'.repeat(32),
      );
    });
  });

  it('requires a tenant claim by default in the tenant scope only, and caps open streams at 20', () => {
    expect(AppConfig.from({}).auth.tenantRequired).toBe(false);
    expect(AppConfig.from({ PLAN_CACHE_SCOPE: 'tenant' }).auth.tenantRequired).toBe(true);
    expect(AppConfig.from({ PLAN_CACHE_SCOPE: 'tenant', AUTH_TENANT_REQUIRED: 'false' }).auth.tenantRequired).toBe(
      false,
    );
    expect(AppConfig.from({ AUTH_TENANT_REQUIRED: 'true' }).auth.tenantRequired).toBe(true);
    expect(AppConfig.from({}).limits.streamsPerCaller).toBe(20);
  });

  it('refuses tenant-labelled metrics on an internal listener of every interface without METRICS_TOKEN', () => {
    const labelled = { METRICS_TENANT_LABEL: 'true', OPS_PORT: '9464' };
    expect(() => AppConfig.from(labelled)).toThrow(/OPS_HOST=0\.0\.0\.0 \(not a loopback address\).*METRICS_TOKEN/);
    expect(AppConfig.from({ ...labelled, OPS_HOST: '127.0.0.1' }).operations.host).toBe('127.0.0.1');
    expect(AppConfig.from({ ...labelled, METRICS_TOKEN: 'm'.repeat(32) }).operations.host).toBe('0.0.0.0');
  });

  it('accepts a short admin token outside production', () => {
    expect(AppConfig.from({ ADMIN_TOKEN: 'dev' }).admin.token).toBe('dev');
  });

  it('keeps semantic feedback to signed-in callers, ten a minute, and budgets embedded lookups per caller', () => {
    const { semantic } = AppConfig.from({});
    expect(semantic).toMatchObject({
      anonymousFeedback: false,
      feedbackPerMinute: 10,
      lookupsPerMinute: { anonymous: 30, authenticated: 300 },
    });
    expect(() => AppConfig.from({ LIMIT_FEEDBACK_PER_MINUTE: '0' })).toThrow(/LIMIT_FEEDBACK_PER_MINUTE/);
    expect(AppConfig.from({ LIMIT_SEMANTIC_LOOKUPS_PER_MINUTE: '0' }).semantic.lookupsPerMinute.anonymous).toBe(0);
  });

  it('derives the bytes read of upstream answers from the plan length and the embeddings batch', () => {
    const defaults = AppConfig.from({});
    expect(defaults.planner.answerLimits).toEqual({
      answerBytes: 20_000 * 6 + 1024 * 1024,
      streamBytes: 20_000 * 1024 + 1024 * 1024,
    });
    expect(defaults.embeddings.maxResponseBytes).toBe(64 * 4096 * 32 + 64 * 1024);
    const set = AppConfig.from({ PLANNER_MAX_PLAN_CHARS: '1000', EMBEDDINGS_BATCH_MAX: '8' });
    expect(set.planner.answerLimits.answerBytes).toBe(1000 * 6 + 1024 * 1024);
    expect(set.embeddings.maxResponseBytes).toBe(8 * 4096 * 32 + 64 * 1024);
    expect(AppConfig.from({ EMBEDDINGS_MAX_RESPONSE_BYTES: '65536' }).embeddings.maxResponseBytes).toBe(65_536);
    expect(problemsOf({ EMBEDDINGS_MAX_RESPONSE_BYTES: '10' })).toContain('EMBEDDINGS_MAX_RESPONSE_BYTES');
  });
});
