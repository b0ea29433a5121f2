import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance } from 'fastify';
import { tracer } from './tracer.js';

/**
 * A server span per request, first of all hooks, so that answers from memory are traced too: its
 * parent is the caller's W3C `traceparent` when it sends one, it is current for everything the
 * request does (the rest of the hooks and the handler run inside it), and it is named by the
 * route's template (`POST /api/chat/plan`, `GET /api/plans/:id`), never by the URL. It ends when
 * the connection is done with the answer, so that event streams (taken from Fastify) end it too.
 * A request that is not sampled costs the sampling decision and nothing more.
 */
export function installTraceHooks(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    // Only a request that carries a trace context has one to read (and most carry none).
    const parent = request.headers.traceparent ? propagation.extract(ROOT_CONTEXT, request.headers) : ROOT_CONTEXT;
    const span = tracer().startSpan(
      request.method,
      {
        kind: SpanKind.SERVER,
        attributes: { [ATTR_HTTP_REQUEST_METHOD]: request.method, [ATTR_URL_PATH]: request.url.split('?')[0] },
      },
      parent,
    );
    // Not sampled: nothing to record, and no context to carry (the spans inside start nowhere).
    if (!span.isRecording()) return done();
    reply.raw.once('close', () => {
      const route = request.routeOptions.url;
      if (route) span.setAttribute(ATTR_HTTP_ROUTE, route).updateName(`${request.method} ${route}`);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.raw.statusCode);
      if (reply.raw.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), done);
  });
}
