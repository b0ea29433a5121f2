// The module's public surface, what other modules use: they import it from here or from its *.module.ts,
// never from its other files (eslint.config.js, boundaries).
export { entryAge, isFreshFor, isUsableFor } from './cache/cache-entry.js';
export type { CacheEntry, EntryTimes } from './cache/cache-entry.js';
export { CacheNamespace } from './cache/cache-namespace.js';
export { CacheNamespaces, cacheNamespaceProvider } from './cache/cache-namespaces.js';
export { hitRatio } from './cache/namespace-counters.js';
export type { NamespaceCounters } from './cache/namespace-counters.js';
export type { LoadStamp } from './cache/stale-set-guard.js';
export type { ValueCodec } from './cache/value-codec.js';
export type { CacheMatch, CacheTier } from './events/cache-events.js';
export { CacheResponse } from './http/cache-response.decorator.js';
export { installFastAnswerHooks } from './http/fast-answer-hooks.js';
export { AnswerFromMemory, FastAnswers } from './http/fast-answers.js';
export type { FastAnswerSource } from './http/fast-answers.js';
export { SerializedJson, serializedJsonCodec } from './http/serialized-json.js';
export type { FlightResult } from './locks/distributed-flight.js';
export { SharedLoads } from './locks/shared-loads.js';
export { PlanCacheService } from './plan-cache.service.js';
export type { RedisConnection } from './redis/redis-connection.js';
export type { RedisKeys } from './redis/redis-keys.js';
export { REDIS_CONNECTION } from './redis/redis.providers.js';
export { CacheStatsDto } from './stats/cache-stats.dto.js';
export { NamespaceStatsDto } from './stats/namespace-stats.dto.js';
export { EngineTunables } from './tunables.js';
