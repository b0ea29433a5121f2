import { Injectable } from '@nestjs/common';
import type { Caller } from '../../callers/index.js';
import { SavingsMetrics } from '../../metrics/savings.metrics.js';
import type { PlannerRequest } from '../planner/planner.js';
import { RefreshAhead, type RefreshOutcome } from '../task-plan-cache/refresh-ahead.js';
import { TaskPlanCache } from '../task-plan-cache/task-plan-cache.js';
import type { TaskPlanEntry } from '../task-plan-cache/task-plan-entry.js';
import type { TaskPlanIdentity } from '../task-plan-cache/task-plan-key.js';
import type { TaskPlanPolicy } from '../task-plan-cache/task-plan-policy.js';
import { BackgroundRegeneration } from './background-regeneration.js';

/**
 * What follows every hit, on the fast path and the full one: its savings are counted, and a hot
 * plan nearing its expiry is regenerated in the background (PLAN_CACHE_EARLY_REFRESH), so that its
 * readers never wait for it. Once per key across instances, a bounded number at a time, and not
 * while the planner is failing.
 */
@Injectable()
export class PlanHits {
  constructor(
    private readonly cache: TaskPlanCache,
    private readonly regeneration: BackgroundRegeneration,
    private readonly refreshes: RefreshAhead,
    private readonly savings: SavingsMetrics,
  ) {}

  afterHit(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    entry: TaskPlanEntry,
    { policy, caller }: { policy: TaskPlanPolicy; caller: Caller },
  ): void {
    this.savings.saved(entry.usage, entry.generation_ms, caller.tenant);
    if (!this.cache.isRefreshDue(identity, entry, policy) || !this.refreshes.tryStart(identity.key)) return;
    void this.#refresh(identity, request, policy, entry.creator).then((outcome) =>
      this.refreshes.finished(identity.key, outcome),
    );
  }

  /** A plan of a near-duplicate goal served: its savings counted (its own key refreshes on its own hits). */
  afterSimilarHit(entry: TaskPlanEntry, caller: Caller): void {
    this.savings.saved(entry.usage, entry.generation_ms, caller.tenant);
  }

  async #refresh(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    policy: TaskPlanPolicy,
    creator: string | undefined,
  ): Promise<RefreshOutcome> {
    try {
      const options = { policy, store: true, replacing: true, creator, claimed: true };
      return (await this.regeneration.regenerate(identity, request, options)) ? 'refreshed' : 'skipped';
    } catch {
      return 'failed';
    }
  }
}
