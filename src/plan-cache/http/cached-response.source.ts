import { Injectable } from '@nestjs/common';
import type { FastifyContextConfig, FastifyReply, FastifyRequest } from 'fastify';
import type { FastAnswerSource } from './fast-answer.js';
import { AppConfig } from '../../config/app-config.js';
import { PlanCacheService } from '../plan-cache.service.js';
import { cachedAnswerHeaders, type SerializedJson } from './serialized-json.js';

/** The hit path of {@link CacheResponse}: the serialized answer held in this process, if any. */
@Injectable()
export class CachedResponseSource implements FastAnswerSource {
  readonly #cacheControl: string;

  constructor(
    private readonly cache: PlanCacheService,
    config: AppConfig,
  ) {
    this.#cacheControl = config.publicCacheControl;
  }

  answer(
    request: FastifyRequest,
    reply: FastifyReply,
    _body: unknown,
    config: FastifyContextConfig,
  ): Buffer | undefined {
    const options = config.cacheResponse;
    const key = options?.key(request.query);
    if (options === undefined || key === undefined) return undefined;
    const cached = this.cache.namespace<SerializedJson>(options.namespace).get(key);
    if (cached === undefined) return undefined;
    cachedAnswerHeaders(reply, cached, this.#cacheControl);
    return cached.body;
  }
}
