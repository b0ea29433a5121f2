import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ChatModule } from './chat/chat.module.js';
import { CacheAdminModule } from './cache-admin/cache-admin.module.js';
import { AppConfigModule } from './config/app-config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { LifecycleModule } from './lifecycle/lifecycle.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OperationsModule } from './operations/operations.module.js';
import { PlanCacheModule } from './plan-cache/plan-cache.module.js';
import { PlansModule } from './plans/plans.module.js';

@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    LifecycleModule,
    EventEmitterModule.forRoot({ wildcard: false }),
    DatabaseModule,
    MetricsModule,
    PlanCacheModule,
    CacheAdminModule,
    PlansModule,
    ChatModule,
    HealthModule,
    OperationsModule,
  ],
})
export class AppModule {}
