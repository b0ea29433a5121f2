import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, map, type Observable } from 'rxjs';
import { PlanCacheService } from '../plan-cache.service.js';
import { AppConfig } from '../../config/app-config.js';
import { JSON_CONTENT_TYPE } from '../../common/media-types.js';
import { cachedAnswerHeaders, SerializedJson } from './serialized-json.js';

/**
 * See {@link CacheResponse}. Hits are answered before NestJS's pipeline (CachedResponseSource);
 * what reaches this interceptor is loaded once per key and stored, or taken from the cache when
 * another request stored it meanwhile.
 */
@Injectable()
export class CachedResponseInterceptor implements NestInterceptor {
  readonly #cacheControl: string;

  constructor(
    private readonly cache: PlanCacheService,
    config: AppConfig,
  ) {
    this.#cacheControl = config.publicCacheControl;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const options = request.routeOptions.config.cacheResponse;
    const key = options?.key(request.query);
    if (options === undefined || key === undefined) return next.handle();

    const reply = http.getResponse<FastifyReply>();
    const load = async () => SerializedJson.of(await lastValueFrom(next.handle()));
    return from(this.cache.namespace<SerializedJson>(options.namespace).getOrLoad(key, load)).pipe(
      map(({ value, cached }) => {
        reply.header('content-type', JSON_CONTENT_TYPE).header('x-cache', cached ? 'HIT' : 'MISS');
        cachedAnswerHeaders(reply, value, this.#cacheControl);
        return value.body;
      }),
    );
  }
}
