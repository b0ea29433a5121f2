import { Injectable } from '@nestjs/common';
import { PlanExperiments } from './experiments/plan-experiments.js';
import { TaskPlanEntries } from './task-plan-entries.js';
import type { PolicyCounters } from './task-plan-policy.js';

/**
 * What each policy's requests found in the cache (hits, misses, stale answers, and how old the
 * plans served were), counted from the task plans' events by their variant. Requests and planner
 * calls are counted where they happen (PlanExperiments, the generations).
 */
@Injectable()
export class PolicyCounting {
  constructor(plans: TaskPlanEntries, experiments: PlanExperiments) {
    const byVariant = new Map<string, PolicyCounters>(
      experiments.policies.map((policy) => [policy.variant, policy.counters]),
    );
    plans.subscribe((event) => {
      const counters = event.variant === undefined ? undefined : byVariant.get(event.variant);
      if (counters === undefined) return;
      if (event.type === 'hit') counters.countServed(event.entry, Date.now());
      else if (event.type === 'miss') counters.misses++;
      else if (event.type === 'stale') counters.countStale(event.entry, Date.now());
    });
  }
}
