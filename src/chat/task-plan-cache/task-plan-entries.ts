import { AppConfig } from '../../config/index.js';
import { CacheNamespace, cacheNamespaceProvider } from '../../plan-cache/index.js';
import { PlanExperiments } from './experiments/plan-experiments.js';
import { TASK_PLAN_ENTRY_CODEC, type TaskPlanEntry } from './task-plan-entry.js';
import { TaskPlanKey } from './task-plan-key.js';

/**
 * The namespace `plan`: task plans made by the planner agent. Injected by this class, its only way
 * in; TaskPlanCache puts the task-plan policies on it.
 */
export class TaskPlanEntries extends CacheNamespace<TaskPlanEntry> {}

export const taskPlanEntriesProvider = cacheNamespaceProvider(
  TaskPlanEntries,
  [AppConfig, PlanExperiments],
  ({ taskPlanCache, planner, semantic }: AppConfig, experiments: PlanExperiments) => ({
    name: TaskPlanKey.namespace,
    codec: TASK_PLAN_ENTRY_CODEC,
    options: {
      ...taskPlanCache,
      // Expired plans are kept through the longest grace of any policy: they stand in when the planner fails.
      ttlMs: experiments.retentionMs,
      // Fresh for the most lenient policy; each reader's policy narrows it to its own TTL.
      freshMs: experiments.freshnessMs,
      flight: { maxWaitMs: planner.timeoutMs + 1_000 },
      // A generation may wait for another instance's, then run its own.
      loadDeadlineMs: 2 * planner.timeoutMs + 5_000,
      // Every instance indexes every plan's goal for near-duplicate matching (SemanticGoalIndex).
      announceStores: semantic.enabled,
    },
  }),
);
