import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { addressKey, CallerMetrics, CallerResolver, LimitExceededError, RateBudget } from '../../callers/index.js';
import { AppConfig } from '../../config/index.js';
import type { RedisConnection } from '../../plan-cache/index.js';
import { REDIS_CONNECTION } from '../../plan-cache/index.js';
import { BillingListKeys } from './billing-list-keys.js';
import { BillingPlanLists } from './billing-plan-lists.js';

const MINUTE = 60;
const POLICY = 'anonymous-list-loads';

/**
 * The database's share of an anonymous address (an IPv6 /64): a list this instance does not hold
 * costs one unit of LIMIT_ANONYMOUS_LIST_LOADS_PER_MINUTE, shared across instances through Redis;
 * beyond it, 429. Frequency admission keeps one-off lists from pushing busy ones out of memory,
 * but each would still be a query: this caps how many one address can ask for. Held lists are
 * answered before NestJS (the fast path) and never come here; a caller whose token verifies is
 * not counted. The check runs before the load is joined, so that one caller's refusal never
 * fails another caller waiting for the same list.
 */
@Injectable()
export class AnonymousListLoads implements CanActivate {
  readonly #budget: RateBudget;
  readonly #perMinute: number;

  constructor(
    config: AppConfig,
    @Inject(REDIS_CONNECTION) redis: RedisConnection | null,
    private readonly lists: BillingPlanLists,
    private readonly callers: CallerResolver,
    private readonly metrics: CallerMetrics,
  ) {
    this.#perMinute = config.limits.anonymousListLoadsPerMinute;
    this.#budget = new RateBudget({ name: POLICY, points: Math.max(this.#perMinute, 1), windowSeconds: MINUTE }, redis);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = BillingListKeys.forQuery(request.query);
    // A query the route refuses (400) reaches no database; a held list costs nothing, or, while
    // the instance is deaf to the others, one load per bus delay (coalesced): not a caller's to pay.
    if (key === undefined || this.lists.peek(key) !== undefined) return true;
    if (await this.#signedIn(request)) return true;
    const taken = this.#perMinute === 0 ? undefined : await this.#budget.take(`address:${addressKey(request.ip)}`);
    if (taken?.allowed) return true;
    this.metrics.refused('anonymous_list_loads');
    const resetSeconds = taken?.resetSeconds ?? MINUTE;
    throw new LimitExceededError(
      'anonymous_list_loads',
      `At most ${this.#perMinute} billing lists a minute are loaded from the database for an anonymous caller, and this one is not cached; try again in ${resetSeconds} s or sign in`,
      { policy: POLICY, limit: this.#perMinute, windowSeconds: MINUTE, remaining: 0, resetSeconds },
    );
  }

  /** Lists are public: a token that does not verify (or none) makes the caller anonymous here, not refused. */
  async #signedIn(request: FastifyRequest): Promise<boolean> {
    if (request.headers.authorization === undefined) return false;
    const caller = await this.callers.resolve(request).catch(() => undefined);
    return caller?.kind === 'authenticated';
  }
}
