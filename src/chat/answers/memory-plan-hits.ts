import { Injectable } from '@nestjs/common';
import { CallerResolver } from '../../callers/index.js';
import type { AnswerRequest } from '../../common/index.js';
import { EarlyRefreshes } from '../generation/early-refreshes.js';
import { PlanRequestContexts } from '../requests/plan-request-context.js';
import type { PlannerRequest } from '../planner/planner.js';
import { PlanScopes } from '../task-plan-cache/plan-scope.js';
import { TaskPlanCache } from '../task-plan-cache/task-plan-cache.js';
import type { TaskPlanEntry } from '../task-plan-cache/task-plan-entry.js';
import type { TaskPlanIdentity } from '../task-plan-cache/task-plan-key.js';
import type { TaskPlanPolicy } from '../task-plan-cache/task-plan-policy.js';

/** A fresh plan found in this process for a request of the fast path. */
export interface MemoryPlanHit {
  identity: TaskPlanIdentity;
  entry: TaskPlanEntry;
  policy: TaskPlanPolicy;
  /** Answer headers the policy implies (`X-Cache-Variant`, `Vary`). */
  headers: [string, string][];
  startedAt: number;
}

/**
 * The part the fast paths of the task plans share (JSON and stream): who calls, under which
 * policy, and whether this process holds a fresh plan for them, counted as a hit; anything it
 * cannot judge at once (a caller not verified yet, a malformed `X-Client-Id`) is left to the route.
 */
@Injectable()
export class MemoryPlanHits {
  constructor(
    private readonly cache: TaskPlanCache,
    private readonly earlyRefreshes: EarlyRefreshes,
    private readonly contexts: PlanRequestContexts,
    private readonly callers: CallerResolver,
    private readonly scopes: PlanScopes,
  ) {}

  find(request: AnswerRequest, input: PlannerRequest): MemoryPlanHit | undefined {
    const startedAt = performance.now();
    const caller = this.callers.known(request);
    if (!caller) return undefined;
    const headers: [string, string][] = [];
    const policy = this.#policyOf(request, headers);
    if (!policy) return undefined;
    const identity = this.scopes.identityFor(input, caller);
    const cached = this.cache.freshInMemory(identity, policy, { tenant: caller.tenant });
    if (!cached) return undefined;
    this.earlyRefreshes.afterHit(identity, input, cached, { policy });
    return { identity, entry: cached.value, policy, headers, startedAt };
  }

  /** Counts the answered hit for its policy (the A/B test's latencies). */
  answered(hit: MemoryPlanHit): void {
    this.contexts.finished(hit.policy, hit.startedAt);
  }

  #policyOf(request: AnswerRequest, headers: [string, string][]): TaskPlanPolicy | undefined {
    try {
      return this.contexts.policyOf(request, (name, value) => headers.push([name, value]));
    } catch {
      return undefined;
    }
  }
}
