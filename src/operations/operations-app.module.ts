import { Module, type DynamicModule } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { HealthCheckService } from '@nestjs/terminus';
import { METRICS_REGISTRY } from '../common/index.js';
import { AppConfig } from '../config/index.js';
import {
  DatabaseHealthIndicator,
  HealthController,
  PlannerHealthIndicator,
  RedisHealthIndicator,
} from '../health/index.js';
import { ShutdownCoordinator } from '../lifecycle/index.js';
import { MetricsController, MetricsTokenGuard } from '../metrics/index.js';

/** What the internal listener's controllers use: the service's own instances, never copies. */
const SHARED = [
  AppConfig,
  METRICS_REGISTRY,
  HealthCheckService,
  DatabaseHealthIndicator,
  RedisHealthIndicator,
  PlannerHealthIndicator,
  ShutdownCoordinator,
];

/**
 * The application of the internal listener (OPS_PORT): the same metrics and health controllers
 * as the service's, over the service's own registry, checks and shutdown state, so that a probe
 * or a scrape there reads exactly what the service port would have answered.
 */
@Module({})
export class OperationsAppModule {
  static sharing(service: ModuleRef): DynamicModule {
    return {
      module: OperationsAppModule,
      controllers: [MetricsController, HealthController],
      providers: [
        ...SHARED.map((token) => ({ provide: token, useValue: service.get<unknown>(token, { strict: false }) })),
        MetricsTokenGuard,
      ],
    };
  }
}
