import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidateIf,
} from 'class-validator';
import { IsTrustProxy } from './trust-proxy.js';

export const NODE_ENVIRONMENTS = ['development', 'production', 'test'] as const;
export const PLANNER_PROVIDERS = ['builtin', 'openai'] as const;
export const CACHE_SCOPES = ['shared', 'tenant'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Environment values arrive as strings; an empty string means "not set". */
const toNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : value;

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const normalized = value.trim().toLowerCase();
  if (normalized === '') return undefined;
  if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
  if (['false', '0', 'no', 'off'].includes(normalized)) return false;
  return value;
};

const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Every setting of the service, as it is read from the environment.
 * Defaults live here so that the table in the README has one source.
 */
export class EnvironmentVariables {
  @IsIn(NODE_ENVIRONMENTS)
  NODE_ENV: (typeof NODE_ENVIRONMENTS)[number] = 'development';

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  /** Whole request (headers and body) deadline; a client that stalls is answered 408 or closed. */
  @Transform(toNumber)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  HTTP_REQUEST_TIMEOUT_MS = 30000;

  @Transform(toNumber)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 72000;

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  HTTP_MAX_CONNECTIONS = 10000;

  /**
   * Which proxies' X-Forwarded-For to believe: a number of hops, or a comma-separated list of
   * addresses, CIDR ranges or proxy-addr names (loopback, linklocal, uniquelocal). Unset: none.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Validate(IsTrustProxy)
  TRUST_PROXY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  /** Default: seed sample plans into an empty database in development only (see AppConfig). */
  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean()
  DATABASE_SEED?: boolean;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @ValidateIf((env: EnvironmentVariables) => env.NODE_ENV === 'production')
  @MinLength(32, { message: 'ADMIN_TOKEN must be at least 32 characters in production' })
  ADMIN_TOKEN?: string;

  @Transform(toBoolean)
  @IsBoolean()
  PLAN_CACHE_ENABLED = true;

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  PLAN_CACHE_TTL = 3600;

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  PLAN_CACHE_MAXSIZE = 100;

  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  PLAN_CACHE_MIN_GEN_TIME = 2.0;

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  PLAN_CACHE_GRACE = 86400;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  PLAN_CACHE_EXPERIMENTS_FILE?: string;

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(10_000)
  PLAN_CACHE_PRELOAD_TOP = 50;

  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(0.99)
  PLAN_CACHE_EARLY_REFRESH = 0.8;

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  PLAN_CACHE_EARLY_REFRESH_MIN_HITS = 3;

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(100)
  PLAN_CACHE_REFRESH_CONCURRENCY = 2;

  @Transform(toBoolean)
  @IsBoolean()
  PLAN_CACHE_REDIS_ENABLED = false;

  @Transform(toNumber)
  @IsInt()
  @Min(300)
  @Max(600_000)
  PLAN_CACHE_LOCK_LEASE_MS = 3000;

  @Transform(toBoolean)
  @IsBoolean()
  REDIS_REQUIRED = false;

  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  PLANS_CACHE_TTL = 300;

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  PLANS_CACHE_MAXSIZE = 1000;

  @Transform(toBoolean)
  @IsBoolean()
  PLANS_CACHE_WARM = true;

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(31_536_000)
  HTTP_MAX_AGE = 5;

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(31_536_000)
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

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  PLANNER_API_KEY?: string;

  @IsString()
  @MinLength(1)
  PLANNER_MODEL = 'gpt-4o-mini';

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  PLANNER_TIMEOUT_MS = 60000;

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  PLANNER_BUILTIN_DELAY_MS = 2500;

  /** How long a readiness probe of the remote planner (GET /models) is reused. */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(600_000)
  PLANNER_PROBE_INTERVAL_MS = 5000;

  /** A plan longer than this is cut there, answered as truncated, and never cached. */
  @Transform(toNumber)
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  PLANNER_MAX_PLAN_CHARS = 20000;

  /** `max_tokens` sent to OpenAI-compatible planners. */
  @Transform(toNumber)
  @IsInt()
  @Min(16)
  @Max(1_000_000)
  PLANNER_MAX_TOKENS = 4096;

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(60000)
  REDIS_TIMEOUT_MS = 200;

  @Matches(/^[A-Za-z0-9._-]{1,64}$/, {
    message: 'REDIS_KEY_PREFIX must be 1 to 64 letters, digits, dots, dashes or underscores',
  })
  REDIS_KEY_PREFIX = 'plan-cache';

  @Transform(toNumber)
  @IsInt()
  @Min(100)
  SSE_HEARTBEAT_MS = 15000;

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  SHUTDOWN_DRAIN_MS = 10000;

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(120000)
  SHUTDOWN_DELAY_MS = 0;

  @Transform(toBoolean)
  @IsBoolean()
  PLANNER_REQUIRED = false;

  @Transform(toBoolean)
  @IsBoolean()
  METRICS_ENABLED = true;

  @Transform(toBoolean)
  @IsBoolean()
  WEB_CONSOLE_ENABLED = true;

  /** JWKS of the identity provider: keys fetched, cached and refetched for an unknown key id. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'AUTH_JWKS_URL must be an http(s) URL' },
  )
  AUTH_JWKS_URL?: string;

  /** HS256 secret (RFC 7518 §3.2: at least 256 bits); instead of AUTH_JWKS_URL. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'AUTH_JWT_SECRET must be at least 32 characters (256 bits for HS256)' })
  AUTH_JWT_SECRET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUTH_ISSUER?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUTH_AUDIENCE?: string;

  @Matches(/^[A-Za-z0-9_.:/-]{1,100}$/, { message: 'AUTH_TENANT_CLAIM must be a claim name' })
  AUTH_TENANT_CLAIM = 'tenant';

  @Transform(toBoolean)
  @IsBoolean()
  AUTH_ANONYMOUS = true;

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  LIMIT_ANONYMOUS_GENERATIONS_PER_MINUTE = 10;

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  LIMIT_AUTHENTICATED_GENERATIONS_PER_MINUTE = 60;

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  LIMIT_ANONYMOUS_CHATS_PER_MINUTE = 0;

  /** Planner tokens (input and output) a tenant may spend per UTC day; unset: no budget. */
  @Transform(toNumber)
  @IsOptional()
  @IsInt()
  @Min(1)
  LIMIT_TENANT_DAILY_TOKENS?: number;

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(10_000)
  PLANNER_MAX_CONCURRENCY = 8;

  /** Generations that may wait for a planner slot; more are refused at once. */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(100_000)
  PLANNER_QUEUE_MAX = 100;

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(600_000)
  PLANNER_QUEUE_TIMEOUT_MS = 10000;

  /** Price of a million input (prompt) tokens, in the operator's currency; 0: money saved is not counted. */
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  PLANNER_PRICE_INPUT_PER_MTOK = 0;

  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  PLANNER_PRICE_OUTPUT_PER_MTOK = 0;

  @IsIn(CACHE_SCOPES)
  PLAN_CACHE_SCOPE: (typeof CACHE_SCOPES)[number] = 'shared';

  /** Origins allowed to call from browsers (comma-separated, e.g. https://app.example.com); unset: none. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\s*https?:\/\/[^\s,/]+\s*(,\s*https?:\/\/[^\s,/]+\s*)*$/, {
    message: 'CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com',
  })
  CORS_ORIGINS?: string;

  @Transform(toBoolean)
  @IsBoolean()
  METRICS_TENANT_LABEL = false;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';
}
