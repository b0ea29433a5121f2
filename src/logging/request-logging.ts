import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { routeConfigOf } from '../common/index.js';

/**
 * Routes whose successful requests are not logged one by one: the chat controller logs each
 * generation and failure of a task plan, with the request id. Nor are successful GETs: the cached
 * read path is the hot path, and the metrics count it. Their failures are logged like any other.
 */
const QUIET_ROUTES = new Set(['POST /api/chat/plan']);
const LOGGED = Symbol('request line written');

/**
 * One log line per request when it ends, as pino-http writes it (`request completed`, or `request
 * errored` with an error from 500 on, `request aborted` when the client left; the request, the
 * response and the response time, the request's id as `req.id`), at the level its status calls
 * for; a successful GET or task plan writes nothing. From Fastify's `onResponse` hook (and the
 * response's `close` when it never finished: a client that left), and only
 * for the lines that are written: pino-http's middleware made a child logger of every request at
 * its start, whose bindings (the serialized request) pino redacted at once, a fifth of a traced
 * hit's CPU for a line never written (docs/decisions.md). Not nestjs-pino's middleware either: it
 * binds every request's logger with AsyncLocalStorage, which on Node 20 turns on async hooks for
 * every request of the process. Answers from memory never reach this hook, and log nothing.
 */
@Injectable()
export class RequestLogging implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, reply, done) => {
      // A client that leaves before its answer is whole: Fastify runs no onResponse then.
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) logEnded(request, reply);
      });
      done();
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      logEnded(request, reply);
      done();
    });
  }
}

function logEnded(request: FastifyRequest, reply: FastifyReply): void {
  const status = reply.statusCode;
  const failed = status >= 500;
  const level = failed ? 'error' : status >= 400 ? 'warn' : quiet(request) ? undefined : 'info';
  if (level === undefined) return;
  const raw = request.raw as typeof request.raw & { [LOGGED]?: true };
  // Once: a response that failed ('error', which runs onResponse) closes unfinished too.
  if (raw[LOGGED]) return;
  raw[LOGGED] = true;
  // pino-http's request serializer (the root logger's, nestjs-pino made it with pino-http) reads the id here.
  raw.id = request.id;
  const line = { req: raw, res: reply.raw, responseTime: Math.round(reply.elapsedTime) };
  const logger = PinoLogger.root;
  if (failed) logger.error({ ...line, err: new Error(`failed with status code ${status}`) }, 'request errored');
  else logger[level](line, reply.raw.writableFinished ? 'request completed' : 'request aborted');
}

function quiet(request: FastifyRequest): boolean {
  return request.method === 'GET' || QUIET_ROUTES.has(`${request.method} ${routeConfigOf(request).url}`);
}
