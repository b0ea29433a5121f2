import { trace } from '@opentelemetry/api';
import { tracer } from '../../tracing/index.js';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import { JSON_CONTENT_TYPE, type AnswerHeaders, type AnswerRequest } from '../../common/index.js';
import { AppConfig } from '../../config/index.js';
import { AnswerEncodings } from './answer-encodings.js';
import { installFastAnswerHooks } from './fast-answer-hooks.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The name of the {@link FastAnswerSource} of a route marked with {@link AnswerFromMemory}. */
    fastAnswer?: string;
  }
}

/**
 * Answers a request from memory, synchronously, or declines with undefined (then the route's
 * handler runs as usual). It only ever accepts input the handler would accept: it must never be
 * a second, looser validation. `body` is the parsed JSON body (undefined without one), `config`
 * the route's Fastify config; headers of its own go on `reply` (sent only when it answers). The
 * request is Fastify's or the front door's (common/front-door.ts): only what both tell is read.
 */
export interface FastAnswerSource {
  answer(request: AnswerRequest, reply: AnswerHeaders, body: unknown, config: FastifyContextConfig): Buffer | undefined;
}

/**
 * Lets the source registered as `source` answer the route before NestJS's pipeline (pipes, guards,
 * interceptors) runs: the cached hot path of a public route. The answer has `X-Cache: HIT`, and is
 * JSON, compressed as the client accepts (AnswerEncodings), unless the source gave it another
 * `Content-Type`.
 */
export const AnswerFromMemory = (source: string, config: Record<string, unknown> = {}): MethodDecorator =>
  RouteConfig({ ...config, fastAnswer: source });

/**
 * The fast path: sources register here by name (FastAnswerSource), routes name theirs
 * (AnswerFromMemory), and the Fastify hooks (fast-answer-hooks.ts, where their order is told) ask
 * them, as does the front door (common/front-door.ts), which answers before Fastify. Request ids,
 * metrics and the statistics see these answers like any other; only the work a hit does not need
 * is skipped.
 */
@Injectable()
export class FastAnswers implements OnModuleInit {
  readonly #sources = new Map<string, FastAnswerSource>();

  /** Without traces configured there is no span to add to: a hit does not even look for one. */
  readonly #traced: boolean;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly encodings: AnswerEncodings,
    config: AppConfig,
  ) {
    this.#traced = Boolean(config.tracing.endpoint);
  }

  /**
   * Names `source`. An interceptor that is a source too may be made once per module that uses it
   * (NestJS makes enhancers per module): instances of one class are alike, the last one answers.
   */
  register(name: string, source: FastAnswerSource): void {
    const registered = this.#sources.get(name);
    if (registered && registered.constructor !== source.constructor) {
      throw new Error(`Two fast answer sources are named "${name}"`);
    }
    this.#sources.set(name, source);
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // An instance made elsewhere (without the early hooks) gets them now, after NestJS's.
    const slot =
      fastify.fastAnswerSlot ?? installFastAnswerHooks(fastify, { bodyLimit: fastify.initialConfig.bodyLimit ?? 0 });
    slot.answer = (request, headers, body, config) => this.#answer(request, headers, body, config);
  }

  #answer(
    request: AnswerRequest,
    headers: AnswerHeaders,
    body: unknown,
    config: FastifyContextConfig,
  ): Buffer | undefined {
    const name = config.fastAnswer;
    const answer = name === undefined ? undefined : this.#sources.get(name)?.answer(request, headers, body, config);
    if (answer === undefined) return undefined;
    if (this.#traced) traceFastAnswer(name!);
    headers.header('x-cache', 'HIT');
    // A source with a type of its own (an event stream) is sent as it is; JSON in the client's encoding.
    if (headers.hasHeader('content-type')) return answer;
    headers.header('content-type', JSON_CONTENT_TYPE);
    return this.encodings.encode(request, headers, answer);
  }
}

/** A cache span for an answer from memory, inside a traced request (none when it is not sampled). */
function traceFastAnswer(source: string): void {
  if (!trace.getActiveSpan()?.isRecording()) return;
  tracer()
    .startSpan(`plan_cache ${source}`, {
      attributes: { 'plan_cache.result': 'hit', 'plan_cache.source': 'l1', 'plan_cache.fast_path': true },
    })
    .end();
}
