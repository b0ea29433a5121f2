import { Global, Module } from '@nestjs/common';
import { TaskPlanCacheModule } from '../chat/task-plan-cache/task-plan-cache.module.js';
import { PlanCacheModule } from '../plan-cache/plan-cache.module.js';
import { HttpMetrics } from './http.metrics.js';
import { MetricsController } from './metrics.controller.js';
import { createMetricsRegistry, METRICS_REGISTRY } from './metrics.registry.js';
import { PlanCacheMetrics } from './plan-cache.metrics.js';
import { PlannerMetrics } from './planner.metrics.js';
import { ExperimentMetrics } from './experiment.metrics.js';
import { CallerMetrics } from './caller.metrics.js';
import { SavingsMetrics } from './savings.metrics.js';
import { SemanticMetrics } from './semantic.metrics.js';
import { EmbeddingsMetrics } from './embeddings.metrics.js';

/** Prometheus: one registry per application, read at /metrics. */
@Global()
@Module({
  imports: [PlanCacheModule, TaskPlanCacheModule],
  controllers: [MetricsController],
  providers: [
    { provide: METRICS_REGISTRY, useFactory: createMetricsRegistry },
    PlanCacheMetrics,
    ExperimentMetrics,
    PlannerMetrics,
    HttpMetrics,
    CallerMetrics,
    SavingsMetrics,
    SemanticMetrics,
    EmbeddingsMetrics,
  ],
  exports: [PlannerMetrics, CallerMetrics, SavingsMetrics, SemanticMetrics, EmbeddingsMetrics],
})
export class MetricsModule {}
