import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '../../callers/index.js';
import { RateBudget } from '../../callers/index.js';
import { AppConfig } from '../../config/index.js';
import type { RedisConnection } from '../../plan-cache/index.js';
import { REDIS_CONNECTION } from '../../plan-cache/index.js';
import { SemanticMetrics } from './semantic.metrics.js';

/**
 * Embedded lookups per caller per minute (LIMIT_SEMANTIC_LOOKUPS_PER_MINUTE for addresses,
 * LIMIT_AUTHENTICATED_SEMANTIC_LOOKUPS_PER_MINUTE for subjects), shared by every instance: a
 * near-duplicate search costs an embedding of the goal, so an exact miss may make one only within
 * its caller's budget. Past it the request is still answered, by exact matching alone.
 */
@Injectable()
export class SemanticLookupBudget {
  readonly #budgets: Record<Caller['kind'], RateBudget | undefined>;

  constructor(
    config: AppConfig,
    @Inject(REDIS_CONNECTION) redis: RedisConnection | null,
    private readonly metrics: SemanticMetrics,
  ) {
    const { anonymous, authenticated } = config.semantic.lookupsPerMinute;
    const perMinute = (name: string, points: number) =>
      points === 0 ? undefined : new RateBudget({ name, points, windowSeconds: 60 }, redis);
    this.#budgets = {
      anonymous: perMinute('anonymous-semantic-lookups', anonymous),
      authenticated: perMinute('semantic-lookups', authenticated),
    };
  }

  /** Takes one lookup from the caller's budget; false (counted as a refusal) when it is spent. */
  async take(caller: Caller): Promise<boolean> {
    const budget = this.#budgets[caller.kind];
    const allowed = budget !== undefined && (await budget.take(caller.budgetKey)).allowed;
    if (!allowed) this.metrics.refused('lookup_budget');
    return allowed;
  }
}
