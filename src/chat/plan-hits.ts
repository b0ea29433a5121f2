import { Injectable } from '@nestjs/common';
import { GenerationAdmission } from '../callers/generation-admission.js';
import { AppConfig } from '../config/app-config.js';
import type { PlannerRequest } from './planner/planner.js';
import { RefreshAhead, type RefreshOutcome } from './task-plan-cache/refresh-ahead.js';
import { TaskPlanCache } from './task-plan-cache/task-plan-cache.js';
import type { TaskPlanEntry } from './task-plan-cache/task-plan-entry.js';
import type { TaskPlanIdentity } from './task-plan-cache/task-plan-key.js';
import type { TaskPlanPolicy } from './task-plan-cache/task-plan-policy.js';
import { TaskPlanGenerations } from './task-plan-generations.js';

/**
 * What follows every hit, on the fast path and the full one: a hot plan nearing its expiry is
 * regenerated in the background (PLAN_CACHE_EARLY_REFRESH), so that its readers never wait for it.
 * Once per key across instances, a bounded number at a time, and not while the planner is failing.
 * (What the hit saved is counted from the namespace's hit event: SavingsMetrics, ScopeCounters.)
 */
@Injectable()
export class PlanHits {
  readonly #timeoutMs: number;

  constructor(
    private readonly cache: TaskPlanCache,
    private readonly generations: TaskPlanGenerations,
    private readonly admission: GenerationAdmission,
    private readonly refreshes: RefreshAhead,
    config: AppConfig,
  ) {
    this.#timeoutMs = config.planner.timeoutMs;
  }

  afterHit(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    entry: TaskPlanEntry,
    { policy }: { policy: TaskPlanPolicy },
  ): void {
    if (!this.cache.isRefreshDue(identity, entry, policy) || !this.refreshes.tryStart(identity.key)) return;
    void this.#refresh(identity, request, policy, entry.creator).then((outcome) =>
      this.refreshes.finished(identity.key, outcome),
    );
  }

  async #refresh(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    policy: TaskPlanPolicy,
    creator: string | undefined,
  ): Promise<RefreshOutcome> {
    // The hit may come from the fast path, which does not trim the goal as validation does.
    const planned = { ...request, goal: request.goal.trim() };
    // A plan in a tenant's scope is refreshed on that tenant's tokens; a shared one on nobody's.
    const permit = await this.admission
      .backgroundPermit(identity.tenant, this.generations.promptTokens(planned))
      .catch(() => undefined);
    if (!permit) return 'skipped';
    let handedOver = false;
    try {
      if (!(await this.cache.claimRefresh(identity, this.#timeoutMs + 1000))) return 'skipped';
      const shared = this.generations.forKey(identity, planned, {
        stream: false,
        replacing: true,
        store: true,
        policy,
        background: true,
        creator,
        permit,
      });
      // From here the generation releases the slot and settles the reservation.
      handedOver = true;
      const leave = shared.generation.join();
      try {
        await shared.completion;
        return 'refreshed';
      } finally {
        leave();
        await this.cache.releaseRefresh(identity);
      }
    } catch {
      return 'failed';
    } finally {
      if (!handedOver) {
        permit.release();
        await permit.refund();
      }
    }
  }
}
