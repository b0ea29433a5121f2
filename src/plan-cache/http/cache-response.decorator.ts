import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { CACHED_RESPONSES, CachedResponses, type CacheResponseOptions } from './cached-responses.js';
import { AnswerFromMemory } from './fast-answers.js';

/**
 * Caches a public GET route's JSON answer under a key built from its query, serialized once,
 * and tells the client `X-Cache: HIT|MISS`. A hit is answered before NestJS's pipeline runs; a
 * miss goes through it and is stored (see {@link CachedResponses}).
 */
export const CacheResponse = (options: CacheResponseOptions): MethodDecorator =>
  applyDecorators(AnswerFromMemory(CACHED_RESPONSES, { cacheResponse: options }), UseInterceptors(CachedResponses));
