import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import fastify, { type FastifyInstance } from 'fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import {
  FrontDoor,
  conditionalGet,
  acceptJsonBodiesOnly,
  installRequestBasics,
  openApiDocument,
  HttpExceptionFilter,
  JsonValidationPipe,
  type FastAnswerSlot,
  type FrontDoorHeaders,
} from './common/index.js';
import { AppConfig } from './config/index.js';
import { requestIdOf } from './logging/logging.module.js';
import { installFastAnswerHooks } from './plan-cache/index.js';
import { OperationsListener } from './operations/index.js';
import { installTraceHooks, startTracing } from './tracing/index.js';
import { serveWebConsole } from './web-console/index.js';

/** Bodies over this are refused with 413. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * How often Node looks for requests past their deadline: a stalled client is answered 408 or
 * closed within the deadline plus this.
 */
const DEADLINE_CHECK_EVERY_MS = 1000;

/**
 * The Fastify instance and its first hooks, installed before NestJS adds its own: a trace span
 * per request when traces are configured, every answer carries the request id, cached answers
 * are given before anything else runs, and an answer whose ETag the client already has becomes a
 * 304. Every request has a deadline for its headers and body, idle connections are closed, and
 * connections are capped.
 *
 * Without traces, cached answers come from the front door (common/front-door.ts), at node:http's
 * request listener, before Fastify; with traces, from the first hooks, inside the request's span.
 */
export function createHttpAdapter(http: AppConfig['http'], tracingSettings?: AppConfig['tracing']): FastifyAdapter {
  const tracing = tracingSettings && startTracing(tracingSettings);
  const slot: FastAnswerSlot = {};
  const frontDoor = tracing
    ? undefined
    : new FrontDoor(slot, { bodyLimit: BODY_LIMIT_BYTES, trustProxy: http.trustProxy, requestId: requestIdOf });
  const instance: FastifyInstance = fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: http.trustProxy,
    genReqId: requestIdOf,
    requestTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    http: { headersTimeout: http.requestTimeoutMs, connectionsCheckingInterval: DEADLINE_CHECK_EVERY_MS },
    // Requests on open connections are answered while the service shuts down (see
    // ShutdownCoordinator), not refused with 503.
    return503OnClosing: false,
    ...(frontDoor && { serverFactory: frontDoor.serverFactory() }),
  });
  instance.server.maxConnections = http.maxConnections;
  if (frontDoor) {
    instance.decorate('frontDoor', frontDoor);
    instance.addHook('onRoute', (route) => frontDoor.route(route));
    if (http.corsOrigins.length > 0) frontDoor.withHeaders(corsHeadersFor(http.corsOrigins));
  }
  if (tracing) {
    instance.addHook('onReady', () => tracing.ready);
    installTraceHooks(instance);
    instance.addHook('onClose', () => tracing.shutdown());
  }
  installRequestBasics(instance);
  // With CORS_ORIGINS, cached answers wait for the CORS hook the adapter installs (app.enableCors):
  // they then carry its headers (`Vary: Origin`, the exposed headers) as the full path's do, else a
  // shared cache could keep a copy without them. Without it, they come first, ahead of hooks
  // that would do nothing for them.
  const crossOrigin = http.corsOrigins.length > 0;
  if (!crossOrigin) installFastAnswerHooks(instance, { bodyLimit: BODY_LIMIT_BYTES, slot });
  instance.addHook('onSend', conditionalGet);
  const adapter = new FastifyAdapter(instance);
  if (crossOrigin) installFastAnswerHooks(instance, { bodyLimit: BODY_LIMIT_BYTES, slot });
  return adapter;
}

/** Everything main.ts and the e2e suites do to an application before it listens. */
export function configureApp(app: NestFastifyApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useGlobalPipes(new JsonValidationPipe());
  // JSON only: any other body is refused with 415 rather than validated as a string or a form.
  acceptJsonBodiesOnly(app, BODY_LIMIT_BYTES);
  allowListedOrigins(app, app.get(AppConfig).corsOrigins);
  const operations = app.get(OperationsListener);
  // With OPS_PORT, metrics, probes and the API docs are on the internal listener only.
  if (operations.enabled) operations.moveOperationsRoutesFrom(app.getHttpAdapter().getInstance(), openApiDocument(app));
  else SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  serveWebConsole(app);
  return app;
}

/** Request headers a web client of another origin may send, and answer headers it may read. */
const CORS_REQUEST_HEADERS = ['authorization', 'content-type', 'cache-control', 'x-client-id', 'accept-language'];
const CORS_EXPOSED_HEADERS = [
  'x-cache',
  'x-cache-variant',
  'x-request-id',
  'etag',
  'retry-after',
  'ratelimit',
  'ratelimit-policy',
];

/**
 * The headers @fastify/cors gives a request that is not a preflight (the front door answers
 * before its hook): `Vary: Origin` always, the exposed headers, and the origin itself when listed.
 */
function corsHeadersFor(origins: string[]): FrontDoorHeaders {
  const allowed = new Set(origins);
  const exposed = CORS_EXPOSED_HEADERS.join(', ');
  return (request, headers) => {
    headers.header('vary', 'Origin');
    const origin = request.headers.origin;
    if (origin !== undefined && allowed.has(origin)) headers.header('access-control-allow-origin', origin);
    headers.header('access-control-expose-headers', exposed);
  };
}

/**
 * CORS_ORIGINS, through @fastify/cors: those origins may call every route (preflight included);
 * no others get CORS headers, so browsers keep other sites from reading any answer. Tokens travel
 * in Authorization, never cookies: no credentials mode.
 */
function allowListedOrigins(app: NestFastifyApplication, origins: string[]): void {
  if (origins.length === 0) return;
  app.enableCors({
    origin: origins,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
  });
}
