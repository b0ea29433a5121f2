import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  askedAtFrontDoor,
  bodyReadEarly,
  keepBodyReadEarly,
  parseJson,
  readableEarly,
  readBody,
  routeConfigOf,
  type FastAnswerSlot,
} from '../../common/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    fastAnswerSlot?: FastAnswerSlot;
  }
}

/**
 * The fast path's place among Fastify's hooks, for requests the front door (common/front-door.ts)
 * did not ask about: an instance made without one (traces configured), an escaped path, a body of
 * unknown length. In the order a request meets them:
 *
 * 1. `onRequest` (installed before NestJS adds its own, so it runs first): a cached GET is
 *    answered here, before NestJS's request hooks and middleware. So is a JSON POST of known
 *    length within `bodyLimit`: its body is read here; if memory has no answer, the same bytes go
 *    on to Fastify's parser and the request goes on as if nothing happened. A request with an
 *    `Origin` (a cross-origin browser request, which must pass the CORS hook first) is not
 *    answered here.
 * 2. `preParsing`: hands the bytes read early (here or at the front door) to the parser.
 * 3. `preHandler`, after parsing (and after NestJS's own request hooks): anything not asked yet
 *    is asked now, before NestJS's pipeline (guards, pipes, interceptors, handler).
 *
 * Only routes marked with AnswerFromMemory are asked, and only once a FastAnswers is plugged in.
 */
export function installFastAnswerHooks(
  fastify: FastifyInstance,
  { bodyLimit, slot = {} }: { bodyLimit: number; slot?: FastAnswerSlot },
): FastAnswerSlot {
  fastify.decorate('fastAnswerSlot', slot);
  const send = (reply: FastifyReply, bytes: Buffer | undefined): boolean => {
    if (bytes === undefined) return false;
    void reply.send(bytes);
    return true;
  };
  fastify.addHook('onRequest', (request, reply, done) => {
    const answer = slot.answer;
    // routeOptions is built anew on every read: the first hook read it (request-basics.ts).
    const config = routeConfigOf(request);
    if (!answer || !config.fastAnswer || request.headers.origin !== undefined || askedAtFrontDoor(request.raw)) {
      return done();
    }
    if (request.method === 'GET') return void (send(reply, answer(request, reply, undefined, config)) || done());
    if (!readableEarly(request.raw, bodyLimit)) return done();
    readBody(request.raw).then(
      (bytes) => {
        keepBodyReadEarly(request.raw, bytes);
        if (!send(reply, answer(request, reply, parseJson(bytes), config))) done();
      },
      (error: Error) => done(error),
    );
  });
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const bytes = bodyReadEarly(request.raw);
    done(null, bytes === undefined ? payload : Readable.from([bytes]));
  });
  fastify.addHook('preHandler', (request, reply, done) => {
    const askedEarly =
      askedAtFrontDoor(request.raw) ||
      (request.headers.origin === undefined && (request.method === 'GET' || bodyReadEarly(request.raw) !== undefined));
    if (askedEarly) return done();
    const answer = slot.answer?.(request, reply, request.body, routeConfigOf(request));
    if (!send(reply, answer)) done();
  });
  return slot;
}
