import { Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { FastAnswerSource } from './fast-answer.js';
import { JSON_CONTENT_TYPE } from './serialized-json.js';

/**
 * One Fastify `preHandler` hook: on a route marked with {@link AnswerFromMemory}, the route's
 * source answers from memory when it can, before NestJS's request pipeline. Request ids,
 * metrics and the error filter's shape are unaffected; only the work a hit does not need is skipped.
 */
@Injectable()
export class FastAnswerHook implements OnModuleInit {
  readonly #sources = new Map<Type<FastAnswerSource>, FastAnswerSource>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('preHandler', (request, reply, done) => {
      const type = request.routeOptions.config.fastAnswer;
      const body = type ? this.#source(type).answer(request) : undefined;
      if (body === undefined) return done();
      void reply.header('content-type', JSON_CONTENT_TYPE).header('x-cache', 'HIT').send(body);
    });
  }

  #source(type: Type<FastAnswerSource>): FastAnswerSource {
    let source = this.#sources.get(type);
    if (source === undefined) {
      source = this.moduleRef.get<FastAnswerSource>(type, { strict: false });
      this.#sources.set(type, source);
    }
    return source;
  }
}
