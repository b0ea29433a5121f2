import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { CACHE_RESPONSE_OPTIONS, type CacheResponseOptions } from './cache-response.options.js';
import { CachedResponseInterceptor } from './cached-response.interceptor.js';

/**
 * Caches a GET route's JSON answer under a key built from its query, serialized once, and
 * tells the client `X-Cache: HIT|MISS`.
 */
export const CacheResponse = (options: CacheResponseOptions): MethodDecorator =>
  applyDecorators(SetMetadata(CACHE_RESPONSE_OPTIONS, options), UseInterceptors(CachedResponseInterceptor));
