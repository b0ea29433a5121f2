import { Module } from '@nestjs/common';
import { CallersModule } from '../../callers/callers.module.js';
import { PLANNER } from '../planner/planner.js';
import { PlannerMetrics } from '../planner/planner.metrics.js';
import { plannerProvider } from '../planner/planner.provider.js';
import { SemanticMatchingModule } from '../semantic/semantic-matching.module.js';
import { refreshAheadProvider } from '../task-plan-cache/refresh-ahead.provider.js';
import { TaskPlanCacheModule } from '../task-plan-cache/task-plan-cache.module.js';
import { BackgroundRegeneration } from './background-regeneration.js';
import { EarlyRefreshes } from './early-refreshes.js';
import { TaskPlanLoader } from './task-plan-loader.js';

/**
 * Making task plans: the planner, the one owner of a miss (TaskPlanLoader), what follows a hit
 * (EarlyRefreshes: the early refresh of hot plans) and the regenerations the service makes for itself.
 */
@Module({
  imports: [TaskPlanCacheModule, CallersModule, SemanticMatchingModule],
  providers: [
    PlannerMetrics,
    plannerProvider,
    refreshAheadProvider,
    TaskPlanLoader,
    BackgroundRegeneration,
    EarlyRefreshes,
  ],
  exports: [PLANNER, TaskPlanLoader, BackgroundRegeneration, EarlyRefreshes],
})
export class GenerationModule {}
