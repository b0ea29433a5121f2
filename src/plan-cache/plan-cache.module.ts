import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { BillingPlanInvalidationListener } from './billing-plan-invalidation.listener.js';
import { CachedResponseInterceptor } from './cached-response.interceptor.js';
import { CacheNamespace } from './cache-namespace.js';
import { PlanCacheAdminController } from './plan-cache-admin.controller.js';
import { PlanCacheService } from './plan-cache.service.js';
import { PLAN_LIST_CACHE, TASK_PLAN_CACHE } from './plan-cache.tokens.js';
import { PlanListKeys } from './plan-list-keys.js';
import { TaskPlanCache } from './task-plans/task-plan-cache.js';
import { TaskPlanKey } from './task-plans/task-plan-key.js';

/**
 * The one cache of the service. Billing and chat use it; it knows neither, and learns of billing
 * changes only through the events of {@link BillingPlanEvents}.
 */
@Module({
  controllers: [PlanCacheAdminController],
  providers: [
    {
      provide: PLAN_LIST_CACHE,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new CacheNamespace(PlanListKeys.namespace, { ...config.planListCache, enabled: true }),
    },
    {
      provide: TASK_PLAN_CACHE,
      inject: [AppConfig],
      // Expired plans are kept through the grace period: they stand in when the planner fails.
      useFactory: ({ taskPlanCache }: AppConfig) =>
        new CacheNamespace(TaskPlanKey.namespace, {
          ...taskPlanCache,
          ttlSeconds: taskPlanCache.ttlSeconds + taskPlanCache.graceSeconds,
        }),
    },
    PlanCacheService,
    TaskPlanCache,
    CachedResponseInterceptor,
    BillingPlanInvalidationListener,
  ],
  exports: [PLAN_LIST_CACHE, TASK_PLAN_CACHE, PlanCacheService, TaskPlanCache, CachedResponseInterceptor],
})
export class PlanCacheModule {}
