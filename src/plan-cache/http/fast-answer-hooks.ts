import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routeConfigOf } from '../../common/index.js';

/** Answers a request from memory and says true, or says false and leaves it to the route. */
export type FastAnswerer = (
  request: FastifyRequest,
  reply: FastifyReply,
  config: FastifyContextConfig,
  body: unknown,
) => boolean;

/** What the hooks call; FastAnswers plugs itself in once NestJS has made it. */
export interface FastAnswerSlot {
  answer?: FastAnswerer;
}

declare module 'fastify' {
  interface FastifyInstance {
    fastAnswerSlot?: FastAnswerSlot;
  }
  interface FastifyRequest {
    /** A JSON body read in `onRequest`, handed on to Fastify's parser when the request was not answered. */
    bodyReadEarly?: Buffer;
  }
}

const JSON_CONTENT = /^application\/json\s*(;|$)/i;

/**
 * The fast path's place among Fastify's hooks, in the order a request meets them:
 *
 * 1. `onRequest` (installed before NestJS adds its own, so it runs first): a cached GET is
 *    answered here, before NestJS's request hooks and middleware. So is a JSON POST of known
 *    length within `bodyLimit`: its body is read here; if memory has no answer, the same bytes go
 *    on to Fastify's parser and the request goes on as if nothing happened. A request with an
 *    `Origin` (a cross-origin browser request, which must pass NestJS's CORS and security hooks,
 *    should they ever be enabled) is never answered here.
 * 2. `preParsing`: hands the bytes read early to the parser.
 * 3. `preHandler`, after parsing (and after NestJS's own request hooks): anything not asked in
 *    step 1 is asked now, before NestJS's pipeline (guards, pipes, interceptors, handler).
 *
 * Only routes marked with AnswerFromMemory are asked, and only once a FastAnswers is plugged in.
 */
export function installFastAnswerHooks(fastify: FastifyInstance, { bodyLimit }: { bodyLimit: number }): FastAnswerSlot {
  const slot: FastAnswerSlot = {};
  fastify.decorate('fastAnswerSlot', slot);
  fastify.decorateRequest('bodyReadEarly', undefined);
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
    // routeOptions is built anew on every read: the first hook read it (request-basics.ts).
    const config = routeConfigOf(request);
    if (!answer || !config.fastAnswer || request.headers.origin !== undefined) return done();
    if (request.method === 'GET') return void (answer(request, reply, config, undefined) || done());
    if (!readableEarly(request)) return done();
    readBody(request.raw).then(
      (bytes) => {
        request.bodyReadEarly = bytes;
        if (!answer(request, reply, config, parseJson(bytes))) done();
      },
      (error: Error) => done(error),
    );
  });
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const bytes = request.bodyReadEarly;
    done(null, bytes === undefined ? payload : Readable.from([bytes]));
  });
  fastify.addHook('preHandler', (request, reply, done) => {
    const askedEarly =
      request.headers.origin === undefined && (request.method === 'GET' || request.bodyReadEarly !== undefined);
    if (askedEarly || !slot.answer?.(request, reply, routeConfigOf(request), request.body)) done();
  });
  return slot;
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
