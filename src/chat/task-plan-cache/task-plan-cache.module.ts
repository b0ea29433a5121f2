import { Module } from '@nestjs/common';
import { PlanCacheModule } from '../../plan-cache/plan-cache.module.js';
import { ExperimentMetrics } from './experiments/experiment.metrics.js';
import { PlanExperiments } from './experiments/plan-experiments.js';
import { CallerTags } from './caller-tag.js';
import { PlanDemand } from './plan-demand.js';
import { PlanScopes } from './plan-scope.js';
import { PolicyCounting } from './policy-counting.js';
import { SavingsMetrics } from './savings.metrics.js';
import { ScopeCounters } from './scope-counters.js';
import { TaskPlanAdmin } from './task-plan-admin.js';
import { TaskPlanCache } from './task-plan-cache.js';
import { TaskPlanEntries, taskPlanEntriesProvider } from './task-plan-entries.js';
import { TaskPlanWarmer } from './task-plan.warmer.js';

/**
 * The task plans' cache policy, beside the chat that makes them: their namespace, keys and
 * entries, freshness and grace per policy, the A/B test of policies, demand (for early refresh and
 * preloading), what operators may do with them (TaskPlanAdmin), and what their namespace's events
 * are counted into: by scope, by policy, the savings and the experiment's metrics.
 */
@Module({
  imports: [PlanCacheModule],
  providers: [
    PlanExperiments,
    taskPlanEntriesProvider,
    TaskPlanCache,
    ScopeCounters,
    PolicyCounting,
    SavingsMetrics,
    ExperimentMetrics,
    PlanDemand,
    TaskPlanWarmer,
    TaskPlanAdmin,
    PlanScopes,
    CallerTags,
  ],
  exports: [PlanExperiments, TaskPlanCache, TaskPlanAdmin, TaskPlanEntries, PlanScopes, CallerTags],
})
export class TaskPlanCacheModule {}
