import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { BillingPlanInvalidationListener } from '../plans/cache/billing-list-invalidation.listener.js';
import { CachedResponseInterceptor } from './http/cached-response.interceptor.js';
import { CachedResponseSource } from './http/cached-response.source.js';
import { FastAnswerHook } from './http/fast-answer.hook.js';
import { CacheNamespace } from './cache/cache-namespace.js';
import { PlanCacheAdminController } from '../cache-admin/cache-admin.controller.js';
import { PlanCacheService } from './plan-cache.service.js';
import { PlanExperiments } from '../chat/task-plan-cache/experiments/plan-experiments.js';
import { PLAN_LIST_CACHE, TASK_PLAN_CACHE } from './plan-cache.tokens.js';
import { PlanListKeys } from '../plans/cache/billing-list-keys.js';
import { TaskPlanCache } from '../chat/task-plan-cache/task-plan-cache.js';
import { ScopeCounters } from '../chat/task-plan-cache/scope-counters.js';
import { TaskPlanKey } from '../chat/task-plan-cache/task-plan-key.js';
import { TASK_PLAN_ENTRY_CODEC } from '../chat/task-plan-cache/task-plan-entry.js';
import { TaskPlanWarmer } from '../chat/task-plan-cache/task-plan.warmer.js';
import { InvalidationBus } from './bus/invalidation-bus.js';
import { RedisConnection } from './redis/redis-connection.js';
import { INVALIDATION_BUS, REDIS_CONNECTION, RedisLifecycle, redisProviders } from './redis/redis.providers.js';
import { RemoteTier } from './drivers/redis-tier.js';
import { SERIALIZED_LIST_CODEC } from './http/serialized-json.js';

/** The longest a billing list query may take for its result to be cached. */
const PLAN_LIST_LOAD_DEADLINE_MS = 30_000;

/**
 * The one cache of the service. Billing and chat use it; it knows neither, and learns of billing
 * changes only through the events of {@link BillingPlanEvents}.
 */
@Module({
  controllers: [PlanCacheAdminController],
  providers: [
    ...redisProviders,
    RedisLifecycle,
    {
      provide: PLAN_LIST_CACHE,
      inject: [AppConfig, REDIS_CONNECTION, INVALIDATION_BUS],
      useFactory: (config: AppConfig, redis: RedisConnection | null, bus: InvalidationBus | null) =>
        new CacheNamespace(
          PlanListKeys.namespace,
          {
            ...config.planListCache,
            enabled: true,
            flight: { leaseMs: config.redis.lockLeaseMs, maxWaitMs: PLAN_LIST_LOAD_DEADLINE_MS },
            loadDeadlineMs: PLAN_LIST_LOAD_DEADLINE_MS,
          },
          redis && bus ? () => new RemoteTier(PlanListKeys.namespace, redis, bus, SERIALIZED_LIST_CODEC) : undefined,
        ),
    },
    {
      provide: TASK_PLAN_CACHE,
      inject: [AppConfig, REDIS_CONNECTION, INVALIDATION_BUS, PlanExperiments],
      // Expired plans are kept through the grace period: they stand in when the planner fails.
      useFactory: (
        { taskPlanCache, planner, redis: redisSettings }: AppConfig,
        redis: RedisConnection | null,
        bus: InvalidationBus | null,
        experiments: PlanExperiments,
      ) =>
        new CacheNamespace(
          TaskPlanKey.namespace,
          {
            ...taskPlanCache,
            ttlSeconds: experiments.retentionMs / 1000,
            flight: { leaseMs: redisSettings.lockLeaseMs, maxWaitMs: planner.timeoutMs + 1_000 },
            // A generation may wait for another instance's, then run its own.
            loadDeadlineMs: 2 * planner.timeoutMs + 5_000,
          },
          redis && bus ? () => new RemoteTier(TaskPlanKey.namespace, redis, bus, TASK_PLAN_ENTRY_CODEC) : undefined,
        ),
    },
    PlanCacheService,
    PlanExperiments,
    TaskPlanCache,
    ScopeCounters,
    TaskPlanWarmer,
    CachedResponseInterceptor,
    CachedResponseSource,
    FastAnswerHook,
    BillingPlanInvalidationListener,
  ],
  exports: [
    PLAN_LIST_CACHE,
    TASK_PLAN_CACHE,
    REDIS_CONNECTION,
    PlanCacheService,
    PlanExperiments,
    TaskPlanCache,
    CachedResponseInterceptor,
    CachedResponseSource,
  ],
})
export class PlanCacheModule {}
