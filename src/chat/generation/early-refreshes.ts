import { Injectable } from '@nestjs/common';
import type { PlannerRequest } from '../planner/planner.js';
import { RefreshAhead, type RefreshOutcome } from '../task-plan-cache/refresh-ahead.js';
import { TaskPlanCache } from '../task-plan-cache/task-plan-cache.js';
import type { CachedTaskPlan } from '../task-plan-cache/task-plan-entry.js';
import type { TaskPlanIdentity } from '../task-plan-cache/task-plan-key.js';
import type { TaskPlanPolicy } from '../task-plan-cache/task-plan-policy.js';
import { BackgroundRegeneration } from './background-regeneration.js';

/**
 * What follows every hit, on the fast path and the full one: a hot plan nearing its expiry is
 * regenerated in the background (PLAN_CACHE_EARLY_REFRESH), so that its readers never wait for it.
 * Once per key across instances, a bounded number at a time, and not while the planner is failing.
 * (What the hit saved is counted from the namespace's hit event: SavingsMetrics, ScopeCounters.)
 */
@Injectable()
export class EarlyRefreshes {
  constructor(
    private readonly cache: TaskPlanCache,
    private readonly regeneration: BackgroundRegeneration,
    private readonly refreshes: RefreshAhead,
  ) {}

  afterHit(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    entry: CachedTaskPlan,
    { policy }: { policy: TaskPlanPolicy },
  ): void {
    if (!this.cache.isRefreshDue(identity, entry, policy) || !this.refreshes.tryStart(identity.key)) return;
    void this.#refresh(identity, request, policy, entry.value.creator).then((outcome) =>
      this.refreshes.finished(identity.key, outcome),
    );
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
