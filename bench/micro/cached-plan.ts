import { TASK_PLAN_ENTRY_VERSION, type TaskPlanEntry } from '../../src/chat/task-plan-cache/task-plan-entry.js';

/** A cached task plan of 2 KB, its text different for every index so that no string is shared. */
export function cachedPlan(index: number): TaskPlanEntry {
  const text = `Plan ${index}\n${'1. A step of the plan, phrased for the goal.\n'.repeat(46)}`.slice(0, 2048);
  return {
    v: TASK_PLAN_ENTRY_VERSION,
    goal: `goal number ${index}`,
    context_hash: index.toString(16).padStart(64, '0'),
    plan: text,
    generation_ms: 2500,
  };
}
