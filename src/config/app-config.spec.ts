import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('Redis deployment variables', () => {
  let dir: string;
  let caFile: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'redis-variables-'));
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a Sentinel set, its master name and password, an ACL user and TLS with a CA file', () => {
    const { redis } = AppConfig.from({
      REDIS_MODE: 'sentinel',
      REDIS_SENTINELS: 'sentinel-1:26379, [::1]:26380,10.0.0.3:26381',
      REDIS_SENTINEL_MASTER: 'plan-cache',
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
      REDIS_USERNAME: 'app',
      REDIS_PASSWORD: 'app-secret',
      REDIS_TLS: 'true',
      REDIS_TLS_CA_FILE: caFile,
    });
    expect(redis.topology).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: 'sentinel-1', port: 26379 },
        { host: '::1', port: 26380 },
        { host: '10.0.0.3', port: 26381 },
      ],
      masterName: 'plan-cache',
      sentinelPassword: 'sentinel-secret',
    });
    expect(redis).toMatchObject({
      username: 'app',
      password: 'app-secret',
      tls: { ca: expect.stringContaining('BEGIN') },
    });
  });

  it('reads cluster seeds, and takes TLS from a rediss:// URL in standalone mode', () => {
    expect(
      AppConfig.from({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'redis-1:6379,redis-2:6379' }).redis.topology,
    ).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'redis-1', port: 6379 },
        { host: 'redis-2', port: 6379 },
      ],
    });
    expect(AppConfig.from({ REDIS_URL: 'rediss://cache:6380' }).redis.tls).toEqual({ ca: undefined });
    expect(AppConfig.from({ REDIS_URL: 'redis://cache:6379' }).redis.tls).toBeUndefined();
  });

  it.each([
    [{ REDIS_MODE: 'primary' }, 'REDIS_MODE must be one of standalone, sentinel, cluster'],
    [{ REDIS_MODE: 'sentinel', REDIS_SENTINEL_MASTER: 'm' }, 'REDIS_MODE=sentinel needs REDIS_SENTINELS'],
    [{ REDIS_MODE: 'sentinel', REDIS_SENTINELS: 'a:1' }, 'REDIS_MODE=sentinel needs REDIS_SENTINEL_MASTER'],
    [{ REDIS_MODE: 'cluster' }, 'REDIS_MODE=cluster needs REDIS_CLUSTER_NODES'],
    [{ REDIS_SENTINELS: 'a:26379' }, 'REDIS_SENTINELS is read only with REDIS_MODE=sentinel'],
    [{ REDIS_CLUSTER_NODES: 'a:6379' }, 'REDIS_CLUSTER_NODES is read only with REDIS_MODE=cluster'],
    [
      { REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'a:6379', REDIS_URL: 'redis://a:6379' },
      'REDIS_URL is read only with REDIS_MODE=standalone',
    ],
    [
      { REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'a:6379,b' },
      'REDIS_CLUSTER_NODES must be a comma-separated list of host:port',
    ],
    [{ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'a:70000' }, 'REDIS_CLUSTER_NODES has a port outside 1-65535'],
    [{ REDIS_URL: 'redis://user:pw@a:6379', REDIS_PASSWORD: 'other' }, 'REDIS_URL carries a user or password'],
    [{ REDIS_URL: 'rediss://a:6380', REDIS_TLS: 'false' }, 'REDIS_TLS=false contradicts REDIS_URL'],
    [{ REDIS_TLS_CA_FILE: '/etc/ca.pem' }, 'REDIS_TLS_CA_FILE is read only with TLS'],
    [
      { REDIS_TLS: 'true', REDIS_TLS_CA_FILE: '/nonexistent/ca.pem' },
      'REDIS_TLS_CA_FILE=/nonexistent/ca.pem cannot be read',
    ],
  ])('refuses %j, naming the variable', (variables, message) => {
    expect(problemsOf(variables as Record<string, string>)).toContain(message);
  });

  it('never shows a Redis or Sentinel password in its messages', () => {
    expect(problemsOf({ REDIS_URL: 'redis://app:url-hunter2@cache 6379' })).not.toContain('hunter2');
    const message = problemsOf({
      REDIS_MODE: 'cluster',
      REDIS_PASSWORD: 'app-hunter2',
      REDIS_SENTINEL_PASSWORD: 'sentinel-hunter2',
    });
    expect(message).toContain('REDIS_SENTINEL_PASSWORD is read only with REDIS_MODE=sentinel');
    expect(message).not.toContain('hunter2');
  });
});
