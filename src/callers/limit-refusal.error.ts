import { DomainError } from '../common/index.js';

/** Why a generation was refused, as counted by rate_limit_refusals_total{reason}. */
export type RefusalReason =
  | 'anonymous_generations'
  | 'authenticated_generations'
  | 'anonymous_chats'
  | 'anonymous_list_loads'
  | 'tenant_tokens'
  | 'planner_queue_full'
  | 'planner_queue_timeout'
  | 'cross_site'
  | 'semantic_feedback'
  | 'streams_per_caller';

/** A quota in the terms of the IETF httpapi RateLimit header fields draft. */
export interface QuotaState {
  policy: string;
  limit: number;
  windowSeconds: number;
  remaining: number;
  resetSeconds: number;
}

/** `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers) for a quota. */
export function rateLimitHeaders(quota: QuotaState): Record<string, string> {
  return {
    'ratelimit-policy': `"${quota.policy}";q=${quota.limit};w=${quota.windowSeconds}`,
    ratelimit: `"${quota.policy}";r=${quota.remaining};t=${quota.resetSeconds}`,
  };
}

/** The caller has spent its quota: 429, with when to come back. */
export class LimitExceededError extends DomainError {
  readonly status = 429;
  readonly code = 'rate_limited';

  constructor(
    readonly reason: RefusalReason,
    message: string,
    private readonly quota: QuotaState,
  ) {
    super(message);
  }

  override get headers(): Record<string, string> {
    return { 'retry-after': String(Math.max(1, this.quota.resetSeconds)), ...rateLimitHeaders(this.quota) };
  }
}

/** Every planner slot is busy and the queue full, or the wait too long: 503, retry soon. */
export class PlannerBusyError extends DomainError {
  readonly status = 503;
  readonly code = 'planner_busy';

  constructor(
    readonly reason: 'planner_queue_full' | 'planner_queue_timeout',
    private readonly retryAfterSeconds: number,
  ) {
    super('The planner is busy with other requests; try again in a moment');
  }

  override get headers(): Record<string, string> {
    return { 'retry-after': String(this.retryAfterSeconds) };
  }
}

/** A page of another site may read cached plans, never make the service generate one: 403. */
export class CrossSiteGenerationError extends DomainError {
  readonly status = 403;
  readonly code = 'cross_site';
  readonly reason = 'cross_site';

  constructor() {
    super('A request from another site is answered from the cache only, and this plan is not cached');
  }
}

/** The caller already holds LIMIT_STREAMS_PER_CALLER open streams here: 429 until one ends. */
export class TooManyStreamsError extends DomainError {
  readonly status = 429;
  readonly code = 'too_many_streams';
  readonly reason = 'streams_per_caller';

  constructor(
    limit: number,
    private readonly retryAfterSeconds: number,
  ) {
    super(`At most ${limit} open streams per caller: close one, or try again in ${retryAfterSeconds} s`);
  }

  override get headers(): Record<string, string> {
    return { 'retry-after': String(this.retryAfterSeconds) };
  }
}
