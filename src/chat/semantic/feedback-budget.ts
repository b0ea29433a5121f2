import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '../../callers/index.js';
import { CallerMetrics, LimitExceededError, RateBudget } from '../../callers/index.js';
import { AppConfig } from '../../config/index.js';
import type { RedisConnection } from '../../plan-cache/index.js';
import { REDIS_CONNECTION } from '../../plan-cache/index.js';

const MINUTE = 60;

/** Feedback requests per caller per minute (LIMIT_FEEDBACK_PER_MINUTE), shared by every instance: each costs an embedding and a write. */
@Injectable()
export class FeedbackBudget {
  readonly #budget: RateBudget;

  constructor(
    config: AppConfig,
    @Inject(REDIS_CONNECTION) redis: RedisConnection | null,
    private readonly metrics: CallerMetrics,
  ) {
    this.#budget = new RateBudget(
      { name: 'semantic-feedback', points: config.semantic.feedbackPerMinute, windowSeconds: MINUTE },
      redis,
    );
  }

  /** Takes one feedback from the caller's budget, or refuses it: 429 with when to come back. */
  async take(caller: Caller): Promise<void> {
    const taken = await this.#budget.take(caller.budgetKey);
    if (taken.allowed) return;
    this.metrics.refused('semantic_feedback');
    const { points, name } = this.#budget.settings;
    throw new LimitExceededError(
      'semantic_feedback',
      `At most ${points} feedbacks a minute for this caller; try again in ${taken.resetSeconds} s`,
      { policy: name, limit: points, windowSeconds: MINUTE, remaining: 0, resetSeconds: taken.resetSeconds },
    );
  }
}
