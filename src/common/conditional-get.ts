import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify';
import { noneMatch } from './entity-tag.js';

/**
 * Conditional GET (RFC 9110 §13.1.2) for every answer that carries an `ETag`, however it was
 * made (from memory before NestJS, by an interceptor, by a handler): when the client's
 * `If-None-Match` matches, the answer becomes `304 Not Modified` with its headers and no body.
 */
export const conditionalGet: onSendHookHandler = (request: FastifyRequest, reply: FastifyReply, payload, done) => {
  if (!notModified(request, reply.statusCode, reply.getHeader('etag'))) return done(null, payload);
  void reply.code(304);
  reply.removeHeader('content-type');
  reply.removeHeader('content-length');
  done(null, null);
};

/** Whether an answer of `status` with `etag` is one the client already has: a 304 instead. */
export function notModified(
  request: { method: string; headers: IncomingHttpHeaders },
  status: number,
  etag: unknown,
): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  return (
    ifNoneMatch !== undefined &&
    status === 200 &&
    (request.method === 'GET' || request.method === 'HEAD') &&
    typeof etag === 'string' &&
    noneMatch(ifNoneMatch, etag)
  );
}
