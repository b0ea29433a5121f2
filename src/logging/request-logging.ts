import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { pinoHttp, type Options } from 'pino-http';
import { routeConfigOf } from '../common/index.js';
import { requestIdOf } from './request-id.js';

/**
 * Routes whose requests are not logged one by one: their controller logs what matters (the chat
 * controller logs each generation and failure, with the request id). GET requests are never
 * logged one by one either: the cached read path is the hot path, and the metrics count it.
 */
const QUIET_ROUTES = new Set(['POST /api/chat/plan']);

const REQUEST_LINES: Options = {
  // The id Fastify gave the request (see requestIdOf), so that logs and answers agree.
  genReqId: (request) => request.id ?? requestIdOf(request),
  customLogLevel: (_request, response, error) =>
    error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
};

/**
 * One log line per request that changes something or fails (pino-http's `request completed`),
 * from a Fastify hook rather than nestjs-pino's middleware: that middleware binds every request's
 * logger with AsyncLocalStorage, which on Node 20 turns on async hooks for every request of the
 * process, cached answers included (docs/decisions.md). Lines written while a request is handled
 * carry its id where the code passes it.
 */
@Injectable()
export class RequestLogging implements OnModuleInit {
  #log?: (request: IncomingMessage, response: ServerResponse) => void;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, reply, done) => {
      if (logged(request)) this.#logger()(request.raw, reply.raw);
      done();
    });
  }

  /** Made at the first request: the root logger exists once NestJS has configured the logging module. */
  #logger(): (request: IncomingMessage, response: ServerResponse) => void {
    return (this.#log ??= pinoHttp({ ...REQUEST_LINES, logger: PinoLogger.root }));
  }
}

function logged(request: FastifyRequest): boolean {
  return request.method !== 'GET' && !QUIET_ROUTES.has(`${request.method} ${routeConfigOf(request).url}`);
}
