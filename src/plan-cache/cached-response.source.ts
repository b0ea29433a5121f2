import { Injectable } from '@nestjs/common';
import type { FastifyContextConfig, FastifyRequest } from 'fastify';
import type { FastAnswerSource } from './fast-answer.js';
import { PlanCacheService } from './plan-cache.service.js';
import type { SerializedJson } from './serialized-json.js';

/** The hit path of {@link CacheResponse}: the serialized answer held in this process, if any. */
@Injectable()
export class CachedResponseSource implements FastAnswerSource {
  constructor(private readonly cache: PlanCacheService) {}

  answer(request: FastifyRequest, _reply: unknown, _body: unknown, config: FastifyContextConfig): Buffer | undefined {
    const options = config.cacheResponse;
    const key = options?.key(request.query);
    if (options === undefined || key === undefined) return undefined;
    return this.cache.namespace<SerializedJson>(options.namespace).get(key)?.body;
  }
}
