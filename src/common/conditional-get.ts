import type { FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify';
import { noneMatch } from './entity-tag.js';

/**
 * Conditional GET (RFC 9110 §13.1.2) for every answer that carries an `ETag`, however it was
 * made (from memory before NestJS, by an interceptor, by a handler): when the client's
 * `If-None-Match` matches, the answer becomes `304 Not Modified` with its headers and no body.
 */
export const conditionalGet: onSendHookHandler = (request: FastifyRequest, reply: FastifyReply, payload, done) => {
  const ifNoneMatch = request.headers['if-none-match'];
  if (
    ifNoneMatch === undefined ||
    reply.statusCode !== 200 ||
    (request.method !== 'GET' && request.method !== 'HEAD')
  ) {
    return done(null, payload);
  }
  const etag = reply.getHeader('etag');
  if (typeof etag !== 'string' || !noneMatch(ifNoneMatch, etag)) return done(null, payload);
  void reply.code(304);
  reply.removeHeader('content-type');
  reply.removeHeader('content-length');
  done(null, null);
};
