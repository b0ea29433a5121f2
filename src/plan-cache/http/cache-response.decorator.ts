import { applyDecorators, UseInterceptors } from '@nestjs/common';
import type { CacheResponseOptions } from './cache-response.options.js';
import { CachedResponseInterceptor } from './cached-response.interceptor.js';
import { CachedResponseSource } from './cached-response.source.js';
import { AnswerFromMemory } from './fast-answer.js';

/**
 * Caches a public GET route's JSON answer under a key built from its query, serialized once,
 * and tells the client `X-Cache: HIT|MISS`. A hit is answered before NestJS's pipeline runs
 * ({@link AnswerFromMemory}); a miss goes through it and is stored by the interceptor.
 */
export const CacheResponse = (options: CacheResponseOptions): MethodDecorator =>
  applyDecorators(
    AnswerFromMemory(CachedResponseSource, { cacheResponse: options }),
    UseInterceptors(CachedResponseInterceptor),
  );
