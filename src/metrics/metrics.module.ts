import { Global, Module } from '@nestjs/common';
import { METRICS_REGISTRY } from '../common/index.js';
import { PlanCacheModule } from '../plan-cache/plan-cache.module.js';
import { HttpMetrics } from './http.metrics.js';
import { MetricsController } from './metrics.controller.js';
import { createMetricsRegistry } from './metrics.registry.js';
import { PlanCacheMetrics } from './plan-cache.metrics.js';

/**
 * Prometheus: one registry per application, read at /metrics. The engine's and the HTTP metrics
 * are here; each domain registers its own into the registry (callers, embeddings, the planner,
 * task plans, semantic matching, experiments), so that nothing here knows a domain.
 */
@Global()
@Module({
  imports: [PlanCacheModule],
  controllers: [MetricsController],
  providers: [{ provide: METRICS_REGISTRY, useFactory: createMetricsRegistry }, PlanCacheMetrics, HttpMetrics],
  exports: [METRICS_REGISTRY],
})
export class MetricsModule {}
