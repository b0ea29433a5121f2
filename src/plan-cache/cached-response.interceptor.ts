import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, map, of, type Observable } from 'rxjs';
import { CACHE_RESPONSE_OPTIONS, type CacheResponseOptions } from './cache-response.options.js';
import { PlanCacheService } from './plan-cache.service.js';
import { JSON_CONTENT_TYPE, SerializedJson } from './serialized-json.js';

/** See {@link CacheResponse}. A hit is answered synchronously from the in-process tier. */
@Injectable()
export class CachedResponseInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly cache: PlanCacheService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<CacheResponseOptions>(CACHE_RESPONSE_OPTIONS, context.getHandler());
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const key = options.key(request.query);
    if (key === undefined) return next.handle();

    const reply = http.getResponse<FastifyReply>();
    const namespace = this.cache.namespace<SerializedJson>(options.namespace);
    const hit = namespace.get(key);
    if (hit !== undefined) return of(send(reply, hit, 'HIT'));

    const load = async () => SerializedJson.of(await lastValueFrom(next.handle()));
    return from(namespace.getOrLoad(key, load)).pipe(
      map(({ value, cached }) => send(reply, value, cached ? 'HIT' : 'MISS')),
    );
  }
}

function send(reply: FastifyReply, answer: SerializedJson, cache: 'HIT' | 'MISS'): Buffer {
  reply.header('content-type', JSON_CONTENT_TYPE).header('x-cache', cache);
  return answer.body;
}
