import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsUrl, Matches, MinLength } from 'class-validator';
import {
  BooleanSetting,
  emptyToUndefined,
  IntSetting,
  NumberSetting,
  OptionalBooleanSetting,
  OptionalIntSetting,
  OptionalStringSetting,
} from './setting-decorators.js';

export const CACHE_SCOPES = ['shared', 'tenant'] as const;

/** The settings of who calls and what they may spend: identity, limits, prices, scope, origins. */
export class CallerVariables {
  /** JWKS of the identity provider: keys fetched, cached and refetched for an unknown key id. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'AUTH_JWKS_URL must be an http(s) URL' },
  )
  AUTH_JWKS_URL?: string;

  /** HS256 secret (RFC 7518 §3.2: at least 256 bits); instead of AUTH_JWKS_URL. */
  @OptionalStringSetting()
  @MinLength(32, { message: 'AUTH_JWT_SECRET must be at least 32 characters (256 bits for HS256)' })
  AUTH_JWT_SECRET?: string;

  /** The `iss` a token must carry; required in production when tokens are verified. */
  @OptionalStringSetting()
  AUTH_ISSUER?: string;

  /** The `aud` a token must carry; required in production when tokens are verified, unless AUTH_ALLOW_ANY_AUDIENCE. */
  @OptionalStringSetting()
  AUTH_AUDIENCE?: string;

  /** Production may verify tokens without AUTH_AUDIENCE only when this says so (tokens for any service are then taken). */
  @BooleanSetting()
  AUTH_ALLOW_ANY_AUDIENCE = false;

  @Matches(/^[A-Za-z0-9_.:/-]{1,100}$/, { message: 'AUTH_TENANT_CLAIM must be a claim name' })
  AUTH_TENANT_CLAIM = 'tenant';

  /**
   * A token without the AUTH_TENANT_CLAIM claim is refused (401); unset: refused when
   * PLAN_CACHE_SCOPE=tenant. Accepted, its caller has a namespace of its own (`subject:<sub>`).
   */
  @OptionalBooleanSetting()
  AUTH_TENANT_REQUIRED?: boolean;

  @BooleanSetting()
  AUTH_ANONYMOUS = true;

  @IntSetting(0, 1_000_000)
  LIMIT_ANONYMOUS_GENERATIONS_PER_MINUTE = 10;

  @IntSetting(0, 1_000_000)
  LIMIT_AUTHENTICATED_GENERATIONS_PER_MINUTE = 60;

  @IntSetting(0, 1_000_000)
  LIMIT_ANONYMOUS_CHATS_PER_MINUTE = 0;

  /**
   * Billing lists an anonymous address (an IPv6 /64) may have loaded from the database per
   * minute: lists this instance does not hold in memory. 0: anonymous callers get held lists only.
   */
  @IntSetting(0, 1_000_000)
  LIMIT_ANONYMOUS_LIST_LOADS_PER_MINUTE = 60;

  /** Planner tokens (input and output) a tenant may spend per UTC day; unset: no budget. */
  @OptionalIntSetting(1)
  LIMIT_TENANT_DAILY_TOKENS?: number;

  /** Event streams one caller (address or subject) may hold open at once on an instance; more are refused (429). */
  @IntSetting(1, 100_000)
  LIMIT_STREAMS_PER_CALLER = 20;

  @IntSetting(1, 10_000)
  PLANNER_MAX_CONCURRENCY = 8;

  /** Generations that may wait for a planner slot; more are refused at once. */
  @IntSetting(0, 100_000)
  PLANNER_QUEUE_MAX = 100;

  @IntSetting(0, 600_000)
  PLANNER_QUEUE_TIMEOUT_MS = 10000;

  /** Price of a million input (prompt) tokens, in the operator's currency; 0: money saved is not counted. */
  @NumberSetting(0)
  PLANNER_PRICE_INPUT_PER_MTOK = 0;

  @NumberSetting(0)
  PLANNER_PRICE_OUTPUT_PER_MTOK = 0;

  @IsIn(CACHE_SCOPES)
  PLAN_CACHE_SCOPE: (typeof CACHE_SCOPES)[number] = 'shared';

  /**
   * Key of the HMAC that makes a tenant's tag in its plans' keys; required in production with
   * PLAN_CACHE_SCOPE=tenant. Instances that share a tenant's plans share it; changing it orphans them.
   */
  @OptionalStringSetting()
  @MinLength(32, { message: 'PLAN_CACHE_SCOPE_SECRET must be at least 32 characters' })
  PLAN_CACHE_SCOPE_SECRET?: string;

  /** Origins allowed to call from browsers (comma-separated, e.g. https://app.example.com); unset: none. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\s*https?:\/\/[^\s,/]+\s*(,\s*https?:\/\/[^\s,/]+\s*)*$/, {
    message: 'CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com',
  })
  CORS_ORIGINS?: string;

  @BooleanSetting()
  METRICS_TENANT_LABEL = false;
}
