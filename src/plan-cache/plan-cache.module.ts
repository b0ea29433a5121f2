import { Module } from '@nestjs/common';
import { CacheNamespaces } from './cache/cache-namespaces.js';
import { AnswerEncodings } from './http/answer-encodings.js';
import { CachedResponses } from './http/cached-responses.js';
import { FastAnswers } from './http/fast-answers.js';
import { PlanCacheService } from './plan-cache.service.js';
import { RedisLifecycle, redisProviders, REDIS_CONNECTION } from './redis/redis.providers.js';

/**
 * The cache engine: namespaces with an in-process and a Redis tier, versions and stamps against
 * stale sets, single flight in process and across instances, the invalidation bus, the Redis
 * guard, counters, and the HTTP fast path. It knows no domain: each domain declares its
 * namespaces (cacheNamespaceProvider) and its policies beside its own code.
 */
@Module({
  providers: [
    ...redisProviders,
    RedisLifecycle,
    CacheNamespaces,
    PlanCacheService,
    AnswerEncodings,
    FastAnswers,
    CachedResponses,
  ],
  exports: [REDIS_CONNECTION, CacheNamespaces, PlanCacheService, AnswerEncodings, FastAnswers, CachedResponses],
})
export class PlanCacheModule {}
