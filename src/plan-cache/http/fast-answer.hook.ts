import { Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastAnswerSource } from './fast-answer.js';
import { JSON_CONTENT_TYPE } from '../../common/media-types.js';

type Answerer = (request: FastifyRequest, reply: FastifyReply, config: FastifyContextConfig, body: unknown) => boolean;

/** Where {@link FastAnswerHook} plugs in when the hooks were installed before NestJS's own. */
interface EarlySlot {
  answer?: Answerer;
}

const slots = new WeakMap<FastifyInstance, EarlySlot>();
/** Request bodies read by the first hook, handed on to Fastify's parser when not answered. */
const bodiesReadEarly = new WeakMap<FastifyRequest, Buffer>();
const JSON_CONTENT = /^application\/json\s*(;|$)/i;

/**
 * Installs the fast-answer hooks on a Fastify instance before NestJS adopts it, so that they run
 * first. A cached GET is answered in `onRequest`, before NestJS's request hooks and its
 * middleware engine. So is a JSON POST of known length within `bodyLimit`: its body is read
 * there; if the cache has no answer, the same bytes go on to Fastify's parser (`preParsing`) and
 * the request goes on as if nothing happened. Anything else, and any request with an `Origin` (a
 * cross-origin browser request, which must pass NestJS's CORS and security hooks, should they
 * ever be enabled), is asked in `preHandler`, after parsing.
 */
export function installFastAnswers(fastify: FastifyInstance, { bodyLimit }: { bodyLimit: number }): void {
  const slot: EarlySlot = {};
  slots.set(fastify, slot);
  const readableEarly = (request: FastifyRequest): boolean => {
    const length = Number(request.headers['content-length']);
    return (
      request.method === 'POST' &&
      length > 0 &&
      length <= bodyLimit &&
      JSON_CONTENT.test(request.headers['content-type'] ?? '')
    );
  };
  fastify.addHook('onRequest', (request, reply, done) => {
    const answer = slot.answer;
    // routeOptions is built anew on every read: read once.
    const config = request.routeOptions.config;
    if (!answer || !config.fastAnswer || request.headers.origin !== undefined) return done();
    if (request.method === 'GET') return void (answer(request, reply, config, undefined) || done());
    if (!readableEarly(request)) return done();
    readBody(request.raw).then(
      (bytes) => {
        bodiesReadEarly.set(request, bytes);
        if (!answer(request, reply, config, parseJson(bytes))) done();
      },
      (error: Error) => done(error),
    );
  });
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const bytes = bodiesReadEarly.get(request);
    done(null, bytes === undefined ? payload : Readable.from([bytes]));
  });
  fastify.addHook('preHandler', (request, reply, done) => {
    const askedEarly =
      request.headers.origin === undefined && (request.method === 'GET' || bodiesReadEarly.has(request));
    if (askedEarly || !slot.answer?.(request, reply, request.routeOptions.config, request.body)) done();
  });
}

/**
 * The whole body. A client that stalls is cut off by the server's request deadline
 * (HTTP_REQUEST_TIMEOUT_MS), which closes the request: that ends the read too.
 */
function readBody(raw: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.once('end', () => resolve(Buffer.concat(chunks)));
    raw.once('error', reject);
    raw.once('close', () => {
      if (!raw.complete) reject(new Error('The client closed the request before its body was complete'));
    });
  });
}

/** The parsed body, or undefined when it is not JSON (the parser then says so, with a 400). */
function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
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
    if (!slots.has(fastify)) installFastAnswers(fastify, { bodyLimit: fastify.initialConfig.bodyLimit ?? 0 });
    slots.get(fastify)!.answer = (request, reply, config, body) => this.#answer(request, reply, config, body);
  }

  #answer(request: FastifyRequest, reply: FastifyReply, config: FastifyContextConfig, body: unknown): boolean {
    const type = config.fastAnswer;
    const answer = type ? this.#source(type).answer(request, reply, body, config) : undefined;
    if (answer === undefined) return false;
    void reply.header('content-type', JSON_CONTENT_TYPE).header('x-cache', 'HIT').send(answer);
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
