import { applyDecorators, type Type } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyContextConfig, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The {@link FastAnswerSource} of a route marked with {@link AnswerFromMemory}. */
    fastAnswer?: Type<FastAnswerSource>;
  }
}

/**
 * Answers a request from memory, synchronously, or declines with undefined (then the route's
 * handler runs as usual). It only ever accepts input the handler would accept: it must never be
 * a second, looser validation. `body` is the parsed JSON body (undefined without one), `config`
 * the route's Fastify config; headers of its own go on `reply` (sent only when it answers).
 */
export interface FastAnswerSource {
  answer(request: FastifyRequest, reply: FastifyReply, body: unknown, config: FastifyContextConfig): Buffer | undefined;
}

/**
 * Lets `source` answer the route before NestJS's pipeline (pipes, guards, interceptors) runs:
 * the cached hot path of a public route. The answer is JSON with `X-Cache: HIT`.
 */
export const AnswerFromMemory = (source: Type<FastAnswerSource>, config: Record<string, unknown> = {}) =>
  applyDecorators(RouteConfig({ ...config, fastAnswer: source }));
