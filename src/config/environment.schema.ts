import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUrl, Matches, MinLength, Validate, ValidateIf } from 'class-validator';
import {
  BooleanSetting,
  emptyToUndefined,
  IntSetting,
  NumberSetting,
  OptionalBooleanSetting,
  OptionalIntSetting,
  OptionalStringSetting,
} from './setting-decorators.js';
import { TracingVariables } from './tracing-variables.js';
import { IsTrustProxy } from './trust-proxy.js';

export const NODE_ENVIRONMENTS = ['development', 'production', 'test'] as const;
export const PLANNER_PROVIDERS = ['builtin', 'openai'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every setting of the service, as it is read from the environment (those of callers and limits
 * in CallerVariables, of semantic matching in SemanticVariables, of traces in TracingVariables). Defaults live here so that the table in the README has one source.
 */
export class EnvironmentVariables extends TracingVariables {
  @IsIn(NODE_ENVIRONMENTS)
  NODE_ENV: (typeof NODE_ENVIRONMENTS)[number] = 'development';

  @IntSetting(0, 65535)
  PORT = 3000;

  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  /** Whole request (headers and body) deadline; a client that stalls is answered 408 or closed. */
  @IntSetting(1000, 600_000)
  HTTP_REQUEST_TIMEOUT_MS = 30000;

  @IntSetting(1000, 600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 72000;

  @IntSetting(1, 1_000_000)
  HTTP_MAX_CONNECTIONS = 10000;

  /**
   * Which proxies' X-Forwarded-For to believe: a number of hops, or a comma-separated list of
   * addresses, CIDR ranges or proxy-addr names (loopback, linklocal, uniquelocal). Unset: none.
   */
  @OptionalStringSetting()
  @Validate(IsTrustProxy)
  TRUST_PROXY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  /** Shared buffers of the embedded database, MB (PostgreSQL's minimum is 128 kB). */
  @IntSetting(1, 4096)
  PGLITE_SHARED_BUFFERS_MB = 16;

  /** Default: seed sample plans into an empty database in development only (see AppConfig). */
  @OptionalBooleanSetting()
  DATABASE_SEED?: boolean;

  @OptionalStringSetting()
  @ValidateIf((env: EnvironmentVariables) => env.NODE_ENV === 'production')
  @MinLength(32, { message: 'ADMIN_TOKEN must be at least 32 characters in production' })
  ADMIN_TOKEN?: string;

  @BooleanSetting()
  PLAN_CACHE_ENABLED = true;

  @IntSetting(1)
  PLAN_CACHE_TTL = 3600;

  @IntSetting(0, 1_000_000)
  PLAN_CACHE_MAXSIZE = 100;

  @NumberSetting(0)
  PLAN_CACHE_MIN_GEN_TIME = 2.0;

  @IntSetting(0)
  PLAN_CACHE_GRACE = 86400;

  @OptionalStringSetting()
  PLAN_CACHE_EXPERIMENTS_FILE?: string;

  @IntSetting(0, 10_000)
  PLAN_CACHE_PRELOAD_TOP = 50;

  @NumberSetting(0, 0.99)
  PLAN_CACHE_EARLY_REFRESH = 0.8;

  @IntSetting(1)
  PLAN_CACHE_EARLY_REFRESH_MIN_HITS = 3;

  @IntSetting(1, 100)
  PLAN_CACHE_REFRESH_CONCURRENCY = 2;

  @IntSetting(300, 600_000)
  PLAN_CACHE_LOCK_LEASE_MS = 3000;

  @IntSetting(1)
  PLANS_CACHE_TTL = 300;

  @IntSetting(0, 1_000_000)
  PLANS_CACHE_MAXSIZE = 1000;

  @BooleanSetting()
  PLANS_CACHE_WARM = true;

  @IntSetting(0, 31_536_000)
  HTTP_MAX_AGE = 5;

  @IntSetting(0, 31_536_000)
  HTTP_STALE_WHILE_REVALIDATE = 30;

  @IsIn(PLANNER_PROVIDERS)
  PLANNER_PROVIDER: (typeof PLANNER_PROVIDERS)[number] = 'builtin';

  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.PLANNER_PROVIDER === 'openai' || env.PLANNER_BASE_URL !== undefined)
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'PLANNER_BASE_URL must be an http(s) URL (required when PLANNER_PROVIDER=openai)' },
  )
  PLANNER_BASE_URL?: string;

  @OptionalStringSetting()
  PLANNER_API_KEY?: string;

  @IsString()
  @MinLength(1)
  PLANNER_MODEL = 'gpt-4o-mini';

  @IntSetting(1)
  PLANNER_TIMEOUT_MS = 60000;

  @IntSetting(0)
  PLANNER_BUILTIN_DELAY_MS = 2500;

  /** How long a readiness probe of the remote planner (GET /models) is reused. */
  @IntSetting(0, 600_000)
  PLANNER_PROBE_INTERVAL_MS = 5000;

  /** A plan longer than this is cut there, answered as truncated, and never cached. */
  @IntSetting(100, 1_000_000)
  PLANNER_MAX_PLAN_CHARS = 20000;

  /** `max_tokens` sent to OpenAI-compatible planners. */
  @IntSetting(16, 1_000_000)
  PLANNER_MAX_TOKENS = 4096;

  @IntSetting(100)
  SSE_HEARTBEAT_MS = 15000;

  @IntSetting(0)
  SHUTDOWN_DRAIN_MS = 10000;

  @IntSetting(0, 120000)
  SHUTDOWN_DELAY_MS = 0;

  @BooleanSetting()
  PLANNER_REQUIRED = false;

  @BooleanSetting()
  METRICS_ENABLED = true;

  /**
   * A second, internal listener for /metrics, /health/* and /docs, which the service port then
   * answers 404 (0: any free port). Unset: they are served on PORT.
   */
  @OptionalIntSetting(0, 65535)
  OPS_PORT?: number;

  /** The address of the OPS_PORT listener; unset: HOST. */
  @OptionalStringSetting()
  OPS_HOST?: string;

  /** When set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  @OptionalStringSetting()
  @ValidateIf((env: EnvironmentVariables) => env.NODE_ENV === 'production')
  @MinLength(32, { message: 'METRICS_TOKEN must be at least 32 characters in production' })
  METRICS_TOKEN?: string;

  @BooleanSetting()
  WEB_CONSOLE_ENABLED = true;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';
}
