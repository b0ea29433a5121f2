import { Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastAnswerSource } from './fast-answer.js';
import { JSON_CONTENT_TYPE } from './serialized-json.js';

type Answerer = (request: FastifyRequest, reply: FastifyReply) => boolean;

/** Where {@link FastAnswerHook} plugs in when the hooks were installed before NestJS's own. */
interface EarlySlot {
  answer?: Answerer;
}

const slots = new WeakMap<FastifyInstance, EarlySlot>();

/**
 * Installs the fast-answer hooks on a Fastify instance before NestJS adopts it, so that they run
 * first: a cached GET is answered in `onRequest`, before NestJS's request hooks and its middleware
 * engine; a request with a body in `preHandler`, once the body is parsed. A GET that carries an
 * `Origin` (a cross-origin browser request) waits for `preHandler` too, after NestJS's CORS and
 * security hooks, should they ever be enabled.
 */
export function installFastAnswers(fastify: FastifyInstance): void {
  const slot: EarlySlot = {};
  slots.set(fastify, slot);
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.method === 'GET' && request.headers.origin === undefined && slot.answer?.(request, reply)) return;
    done();
  });
  fastify.addHook('preHandler', (request, reply, done) => {
    if ((request.method !== 'GET' || request.headers.origin !== undefined) && slot.answer?.(request, reply)) return;
    done();
  });
}

/**
 * On a route marked with {@link AnswerFromMemory}, the route's source answers from memory when it
 * can, before NestJS's pipeline (pipes, guards, interceptors, handler). Request ids, metrics and
 * the statistics see these answers like any other; only the work a hit does not need is skipped.
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
    // An instance made elsewhere (without installFastAnswers) gets the hooks now, after NestJS's.
    if (!slots.has(fastify)) installFastAnswers(fastify);
    slots.get(fastify)!.answer = (request, reply) => this.#answer(request, reply);
  }

  #answer(request: FastifyRequest, reply: FastifyReply): boolean {
    const type = request.routeOptions.config.fastAnswer;
    const body = type ? this.#source(type).answer(request) : undefined;
    if (body === undefined) return false;
    void reply.header('content-type', JSON_CONTENT_TYPE).header('x-cache', 'HIT').send(body);
    return true;
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
