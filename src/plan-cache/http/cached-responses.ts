import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyContextConfig, FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, map, type Observable } from 'rxjs';
import { AppConfig } from '../../config/index.js';
import { JSON_CONTENT_TYPE, routeConfigOf, type AnswerHeaders, type AnswerRequest } from '../../common/index.js';
import type { CacheNamespace } from '../cache/cache-namespace.js';
import { CacheNamespaces, type NamespaceClass } from '../cache/cache-namespaces.js';
import { AnswerEncodings } from './answer-encodings.js';
import { FastAnswers, type FastAnswerSource } from './fast-answers.js';
import { SerializedJson } from './serialized-json.js';

export interface CacheResponseOptions {
  /** The namespace that holds the answers, by its DI token. */
  namespace: NamespaceClass<SerializedJson, CacheNamespace<SerializedJson>>;
  /** The key for a request's query; undefined leaves the request uncached. */
  key: (query: unknown) => string | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The options of a route marked with CacheResponse. */
    cacheResponse?: CacheResponseOptions;
  }
}

/** The name CachedResponses answers under on the fast path. */
export const CACHED_RESPONSES = 'cached-responses';

/**
 * Both paths of a route marked with CacheResponse. A hit is answered from memory before NestJS's
 * pipeline ({@link answer}, the fast path); what reaches the interceptor is loaded once per key
 * and stored, or taken from the cache when another request stored it meanwhile. Either way the
 * answer is the same bytes, serialized once when they were cached.
 */
@Injectable()
export class CachedResponses implements NestInterceptor, FastAnswerSource {
  readonly #cacheControl: string;

  constructor(
    private readonly namespaces: CacheNamespaces,
    fastAnswers: FastAnswers,
    private readonly encodings: AnswerEncodings,
    config: AppConfig,
  ) {
    this.#cacheControl = config.publicCacheControl;
    fastAnswers.register(CACHED_RESPONSES, this);
  }

  answer(
    request: AnswerRequest,
    reply: AnswerHeaders,
    _body: unknown,
    config: FastifyContextConfig,
  ): Buffer | undefined {
    const target = this.#target(request, config);
    const cached = target?.namespace.get(target.key);
    if (cached === undefined) return undefined;
    this.#headers(reply, cached);
    return cached.body;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const target = this.#target(request, routeConfigOf(request));
    if (target === undefined) return next.handle();
    const reply = http.getResponse<FastifyReply>();
    const load = async () => SerializedJson.of(await lastValueFrom(next.handle()));
    return from(target.namespace.getOrLoad(target.key, load)).pipe(
      map(({ value, cached }) => {
        void reply.header('content-type', JSON_CONTENT_TYPE).header('x-cache', cached ? 'HIT' : 'MISS');
        this.#headers(reply, value);
        return this.encodings.encode(request, reply, value.body);
      }),
    );
  }

  #target(
    request: AnswerRequest,
    config: FastifyContextConfig,
  ): { namespace: CacheNamespace<SerializedJson>; key: string } | undefined {
    const options = config.cacheResponse;
    const key = options?.key(request.query);
    if (options === undefined || key === undefined) return undefined;
    return { namespace: this.namespaces.get(options.namespace), key };
  }

  /**
   * Its entity tag, and how long browsers and shared caches may keep it. No `Age`: the cache in
   * this service is invalidated by every write, so an answer from it is as current as a source
   * read when it leaves, first-hand for any cache downstream, which may then keep it for its
   * whole max-age (docs/decisions.md).
   */
  #headers(reply: AnswerHeaders, answer: SerializedJson): void {
    reply.header('etag', answer.etag);
    reply.header('cache-control', this.#cacheControl);
  }
}
