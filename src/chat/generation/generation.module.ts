import { Module } from '@nestjs/common';
import { CallersModule } from '../../callers/callers.module.js';
import { PLANNER } from '../planner/planner.js';
import { PlannerMetrics } from '../planner/planner.metrics.js';
import { plannerProvider } from '../planner/planner.provider.js';
import { SemanticMatchingModule } from '../semantic/semantic-matching.module.js';
import { refreshAheadProvider } from '../task-plan-cache/refresh-ahead.provider.js';
import { TaskPlanCacheModule } from '../task-plan-cache/task-plan-cache.module.js';
import { BackgroundRegeneration } from './background-regeneration.js';
import { PlanHits } from './plan-hits.js';
import { TaskPlanLoader } from './task-plan-loader.js';

/**
 * Making task plans: the planner, the one owner of a miss (TaskPlanLoader), what follows a hit
 * (PlanHits: the early refresh of hot plans) and the regenerations the service makes for itself.
 */
@Module({
  imports: [TaskPlanCacheModule, CallersModule, SemanticMatchingModule],
  providers: [PlannerMetrics, plannerProvider, refreshAheadProvider, TaskPlanLoader, BackgroundRegeneration, PlanHits],
  exports: [PLANNER, TaskPlanLoader, BackgroundRegeneration, PlanHits],
})
export class GenerationModule {}
