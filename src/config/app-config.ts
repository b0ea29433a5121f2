import type { EnvironmentVariables } from './environment.schema.js';
import { InvalidConfigurationError, validateEnvironment } from './environment-validation.js';
import { readExperimentFile, type ExperimentSettings } from './experiments-file.js';
import { millisecondsOf } from './milliseconds.js';
import {
  embeddingsSettingsOf,
  semanticSettingsOf,
  type EmbeddingsSettings,
  type SemanticSettings,
} from './semantic-variables.js';
import { redisAccessOf, type RedisAccess } from './redis-variables.js';
import { tracingSettingsOf, type TracingSettings } from './tracing-variables.js';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.js';
import { plannerAnswerLimitsOf, type PlannerAnswerLimits } from './upstream-limits.js';

/** Outside production: the same on every instance, so that instances of a test share tenants' plans. */
const DEVELOPMENT_SCOPE_SECRET = 'plan-cache development scope secret, never for production';

export interface CacheNamespaceSettings {
  /** How long an entry lives, milliseconds. */
  ttlMs: number;
  /** Entries kept in the in-process tier; 0 disables it. */
  maxEntries: number;
}

/**
 * The typed, validated configuration of the service. Injected by class token;
 * the only code that reads the environment is {@link AppConfig.fromEnvironment}.
 */
export { InvalidConfigurationError };

export class AppConfig {
  readonly production: boolean;
  /** Human-readable log lines instead of JSON; development only. */
  readonly prettyLogs: boolean;
  readonly http: {
    port: number;
    host: string;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
    maxConnections: number;
    /** Whose X-Forwarded-For is believed (TRUST_PROXY); false: nobody's, the peer address counts. */
    trustProxy: TrustProxy;
    /** CORS_ORIGINS, which decides where the fast path sits among the request hooks (app.setup.ts). */
    corsOrigins: string[];
  };
  /** `seed`: sample plans go into an empty database (DATABASE_SEED; by default in development only). */
  readonly database: { url?: string; dataDir: string; seed: boolean; pgliteSharedBuffersMb: number };
  readonly admin: { token?: string };
  readonly taskPlanCache: CacheNamespaceSettings & {
    enabled: boolean;
    /** A generated plan is cached only if it took at least this long. */
    minGenerationMs: number;
    /** How long past its TTL a plan still stands in when the planner fails. */
    graceMs: number;
    /** Fraction of the TTL after which a hit on a hot plan regenerates it in the background; 0 is off. */
    earlyRefresh: number;
    /** Decayed hit count from which a plan is hot. */
    earlyRefreshMinHits: number;
    /** Background regenerations at once, per instance. */
    refreshConcurrency: number;
    /** Most requested plans loaded from Redis at start-up. */
    preloadTop: number;
  };
  /** The A/B test of task-plan cache policies, from PLAN_CACHE_EXPERIMENTS_FILE. */
  readonly experiment?: ExperimentSettings;
  readonly planListCache: CacheNamespaceSettings & { warm: boolean };
  /** `Cache-Control` of public answers (billing lists and plans), for browsers and shared caches. */
  readonly publicCacheControl: string;
  readonly redis: RedisAccess & {
    enabled: boolean;
    keyPrefix: string;
    timeoutMs: number;
    requiredForReadiness: boolean;
    /** The lease of a distributed single-flight lock, renewed while its holder lives. */
    lockLeaseMs: number;
  };
  readonly planner: {
    provider: 'builtin' | 'openai';
    baseUrl?: string;
    apiKey?: string;
    model: string;
    timeoutMs: number;
    builtinDelayMs: number;
    /** A plan is cut at this many characters, and a cut plan is not cached. */
    maxPlanChars: number;
    /** `max_tokens` for OpenAI-compatible planners. */
    maxTokens: number;
    /** Bytes read of the planner's answers (derived from maxPlanChars); the call fails past them. */
    answerLimits: PlannerAnswerLimits;
    /** How long one readiness probe of a remote planner answers for. */
    probeIntervalMs: number;
    /** A remote planner that does not answer fails readiness. */
    requiredForReadiness: boolean;
  };
  /** How long open event streams may take to finish when the service shuts down. */
  readonly shutdownDrainMs: number;
  /** How long the service keeps serving, not ready, before it stops accepting: the balancer's reaction time. */
  readonly shutdownDelayMs: number;
  /** Comment lines on open event streams, so that idle proxies keep them. */
  readonly sseHeartbeatMs: number;
  readonly logLevel: EnvironmentVariables['LOG_LEVEL'];
  /** Prometheus metrics at /metrics and the per-request HTTP histogram. */
  readonly metricsEnabled: boolean;
  /** The web console at `/`. */
  readonly webConsoleEnabled: boolean;
  /** Who calls: JWT verification (one of `jwksUrl`, `jwtSecret`) and whether anonymous callers are served. */
  readonly auth: {
    jwksUrl?: string;
    jwtSecret?: string;
    issuer?: string;
    audience?: string;
    tenantClaim: string;
    /** A token without the tenant claim is refused; else its caller is a tenant of its own (`subject:<sub>`). */
    tenantRequired: boolean;
    anonymous: boolean;
  };
  /** What callers may spend: planner calls per minute (0 refuses them all), tokens per tenant per day. */
  readonly limits: {
    anonymousGenerationsPerMinute: number;
    authenticatedGenerationsPerMinute: number;
    anonymousChatsPerMinute: number;
    /** Billing lists not held in memory that one anonymous address may have loaded per minute (0: none). */
    anonymousListLoadsPerMinute: number;
    tenantDailyTokens?: number;
    /** Event streams one caller may hold open at once, on this instance. */
    streamsPerCaller: number;
    plannerConcurrency: number;
    plannerQueueMax: number;
    plannerQueueTimeoutMs: number;
  };
  /** Prices of a million planner tokens, for the money the cache saved (0: not counted). */
  readonly prices: { inputPerMillionTokens: number; outputPerMillionTokens: number };
  /** `tenant`: an authenticated caller's task plans are cached within its tenant. */
  readonly cacheScope: 'shared' | 'tenant';
  /** Key of the HMAC that tags a tenant's plans (PLAN_CACHE_SCOPE_SECRET; a fixed one outside production). */
  readonly cacheScopeSecret: string;
  /** Origins allowed to call from browsers (CORS); empty: none. */
  readonly corsOrigins: string[];
  /**
   * Where /metrics, /health/* and /docs are served: on an internal listener of their own when
   * `port` is set (the service port then answers 404 for them), else on the service port; and the
   * bearer token /metrics asks for, when set.
   */
  readonly operations: { port?: number; host: string; metricsToken?: string };
  /** Savings counted per tenant in /metrics (the top tenants only). */
  readonly metricsTenantLabel: boolean;
  /** Near-duplicate goals served a cached plan: thresholds, verification, judge. */
  readonly semantic: SemanticSettings;
  readonly embeddings: EmbeddingsSettings;
  /** OpenTelemetry traces over OTLP/HTTP (the standard OTEL_* variables); off without an endpoint. */
  readonly tracing: TracingSettings;

  private constructor(env: EnvironmentVariables, experiment: ExperimentSettings | undefined) {
    this.production = env.NODE_ENV === 'production';
    this.prettyLogs = env.NODE_ENV === 'development';
    const corsOrigins = (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== '');
    this.http = {
      port: env.PORT,
      host: env.HOST,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: env.HTTP_MAX_CONNECTIONS,
      trustProxy: parseTrustProxy(env.TRUST_PROXY),
      corsOrigins,
    };
    this.database = {
      url: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      pgliteSharedBuffersMb: env.PGLITE_SHARED_BUFFERS_MB,
      seed: env.DATABASE_SEED ?? env.NODE_ENV === 'development',
    };
    this.admin = { token: env.ADMIN_TOKEN };
    this.taskPlanCache = {
      enabled: env.PLAN_CACHE_ENABLED,
      ttlMs: millisecondsOf(env.PLAN_CACHE_TTL),
      maxEntries: env.PLAN_CACHE_MAXSIZE,
      minGenerationMs: millisecondsOf(env.PLAN_CACHE_MIN_GEN_TIME),
      graceMs: millisecondsOf(env.PLAN_CACHE_GRACE),
      earlyRefresh: env.PLAN_CACHE_EARLY_REFRESH,
      earlyRefreshMinHits: env.PLAN_CACHE_EARLY_REFRESH_MIN_HITS,
      refreshConcurrency: env.PLAN_CACHE_REFRESH_CONCURRENCY,
      preloadTop: env.PLAN_CACHE_PRELOAD_TOP,
    };
    this.experiment = experiment;
    this.publicCacheControl = `public, max-age=${env.HTTP_MAX_AGE}, stale-while-revalidate=${env.HTTP_STALE_WHILE_REVALIDATE}`;
    this.planListCache = {
      ttlMs: millisecondsOf(env.PLANS_CACHE_TTL),
      maxEntries: env.PLANS_CACHE_MAXSIZE,
      warm: env.PLANS_CACHE_WARM,
    };
    this.redis = {
      ...redisAccessOf(env),
      enabled: env.PLAN_CACHE_REDIS_ENABLED,
      timeoutMs: env.REDIS_TIMEOUT_MS,
      keyPrefix: env.REDIS_KEY_PREFIX,
      requiredForReadiness: env.REDIS_REQUIRED,
      lockLeaseMs: env.PLAN_CACHE_LOCK_LEASE_MS,
    };
    this.planner = {
      provider: env.PLANNER_PROVIDER,
      baseUrl: env.PLANNER_BASE_URL,
      apiKey: env.PLANNER_API_KEY,
      model: env.PLANNER_MODEL,
      timeoutMs: env.PLANNER_TIMEOUT_MS,
      builtinDelayMs: env.PLANNER_BUILTIN_DELAY_MS,
      maxPlanChars: env.PLANNER_MAX_PLAN_CHARS,
      maxTokens: env.PLANNER_MAX_TOKENS,
      answerLimits: plannerAnswerLimitsOf(env.PLANNER_MAX_PLAN_CHARS),
      probeIntervalMs: env.PLANNER_PROBE_INTERVAL_MS,
      requiredForReadiness: env.PLANNER_REQUIRED,
    };
    this.sseHeartbeatMs = env.SSE_HEARTBEAT_MS;
    this.shutdownDrainMs = env.SHUTDOWN_DRAIN_MS;
    this.shutdownDelayMs = env.SHUTDOWN_DELAY_MS;
    this.logLevel = env.LOG_LEVEL;
    this.metricsEnabled = env.METRICS_ENABLED;
    this.webConsoleEnabled = env.WEB_CONSOLE_ENABLED;
    this.auth = {
      jwksUrl: env.AUTH_JWKS_URL,
      jwtSecret: env.AUTH_JWT_SECRET,
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_AUDIENCE,
      tenantClaim: env.AUTH_TENANT_CLAIM,
      tenantRequired: env.AUTH_TENANT_REQUIRED ?? env.PLAN_CACHE_SCOPE === 'tenant',
      anonymous: env.AUTH_ANONYMOUS,
    };
    this.limits = {
      anonymousGenerationsPerMinute: env.LIMIT_ANONYMOUS_GENERATIONS_PER_MINUTE,
      authenticatedGenerationsPerMinute: env.LIMIT_AUTHENTICATED_GENERATIONS_PER_MINUTE,
      anonymousChatsPerMinute: env.LIMIT_ANONYMOUS_CHATS_PER_MINUTE,
      anonymousListLoadsPerMinute: env.LIMIT_ANONYMOUS_LIST_LOADS_PER_MINUTE,
      tenantDailyTokens: env.LIMIT_TENANT_DAILY_TOKENS,
      streamsPerCaller: env.LIMIT_STREAMS_PER_CALLER,
      plannerConcurrency: env.PLANNER_MAX_CONCURRENCY,
      plannerQueueMax: env.PLANNER_QUEUE_MAX,
      plannerQueueTimeoutMs: env.PLANNER_QUEUE_TIMEOUT_MS,
    };
    this.prices = {
      inputPerMillionTokens: env.PLANNER_PRICE_INPUT_PER_MTOK,
      outputPerMillionTokens: env.PLANNER_PRICE_OUTPUT_PER_MTOK,
    };
    this.cacheScope = env.PLAN_CACHE_SCOPE;
    // Production refuses to start without one in the tenant scope (environment-validation.ts).
    this.cacheScopeSecret = env.PLAN_CACHE_SCOPE_SECRET ?? DEVELOPMENT_SCOPE_SECRET;
    this.corsOrigins = corsOrigins;
    this.metricsTenantLabel = env.METRICS_TENANT_LABEL;
    this.operations = { port: env.OPS_PORT, host: env.OPS_HOST ?? env.HOST, metricsToken: env.METRICS_TOKEN };
    this.semantic = semanticSettingsOf(env);
    this.embeddings = embeddingsSettingsOf(env);
    this.tracing = tracingSettingsOf(env);
  }

  /**
   * Validates raw variables (strings, as the environment holds them) and builds the config.
   * Unknown variables are ignored; every invalid one is named in the error.
   */
  static from(variables: Record<string, string | undefined>): AppConfig {
    const env = validateEnvironment(variables);
    const experiment = env.PLAN_CACHE_EXPERIMENTS_FILE
      ? readExperimentFile(env.PLAN_CACHE_EXPERIMENTS_FILE)
      : undefined;
    if (experiment && 'problems' in experiment) throw new InvalidConfigurationError(experiment.problems);
    return new AppConfig(env, experiment);
  }

  /** The configuration of this process (read once: the environment does not change under it). */
  static fromEnvironment(): AppConfig {
    return (environmentConfig ??= AppConfig.from(process.env));
  }
}

let environmentConfig: AppConfig | undefined;
