import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { pinoHttp, type Options } from 'pino-http';
import { routeConfigOf } from '../common/index.js';
import { requestIdOf } from './request-id.js';

/**
 * Routes whose successful requests are not logged one by one: the chat controller logs each
 * generation and failure of a task plan, with the request id. Nor are successful GETs: the cached
 * read path is the hot path, and the metrics count it. Their failures are logged like any other.
 */
const QUIET_ROUTES = new Set(['POST /api/chat/plan']);
const QUIET = Symbol('logged only if it fails');

type MarkedRequest = IncomingMessage & { [QUIET]?: true };

const REQUEST_LINES: Options = {
  // The id Fastify gave the request (see requestIdOf), so that logs and answers agree.
  genReqId: (request) => request.id ?? requestIdOf(request),
  customLogLevel: (request: MarkedRequest, response, error) => {
    if (error || response.statusCode >= 500) return 'error';
    if (response.statusCode >= 400) return 'warn';
    return request[QUIET] ? 'silent' : 'info';
  },
};

/**
 * One log line per request when it ends (pino-http's `request completed`, at the level its status
 * calls for; a successful GET or task plan is silent), from a Fastify hook rather than nestjs-pino's
 * middleware: that middleware binds every request's logger with AsyncLocalStorage, which on Node
 * 20 turns on async hooks for every request of the process, cached answers included
 * (docs/decisions.md). Lines written while a request is handled carry its id where the code passes
 * it. Answers from memory never reach this hook, and log nothing.
 */
@Injectable()
export class RequestLogging implements OnModuleInit {
  #log?: (request: IncomingMessage, response: ServerResponse) => void;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, reply, done) => {
      if (quiet(request)) (request.raw as MarkedRequest)[QUIET] = true;
      this.#logger()(request.raw, reply.raw);
      done();
    });
  }

  /** Made at the first request: the root logger exists once NestJS has configured the logging module. */
  #logger(): (request: IncomingMessage, response: ServerResponse) => void {
    return (this.#log ??= pinoHttp({ ...REQUEST_LINES, logger: PinoLogger.root }));
  }
}

function quiet(request: FastifyRequest): boolean {
  return request.method === 'GET' || QUIET_ROUTES.has(`${request.method} ${routeConfigOf(request).url}`);
}
