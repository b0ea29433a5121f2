import { currentTraceIds } from '../tracing/index.js';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, redactUrls } from '../config/index.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's `X-Request-Id` when it is a short token, else a new UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Structured logs: JSON lines in production, pretty lines in development; no secrets. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // Every route (nestjs-pino's default pattern matches none on Fastify with NestJS 12) but the
        // two the cache answers: the per-request logging context costs a cached answer 40 to 50 %
        // of its throughput, and a cached answer logs nothing (docs/decisions.md). The chat
        // controller logs generations and failures itself.
        forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
        exclude: [
          { path: 'api/plans', method: RequestMethod.GET },
          { path: 'api/chat/plan', method: RequestMethod.POST },
        ],
        pinoHttp: {
          level: config.logLevel,
          transport: config.prettyLogs ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
          redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
          // trace_id and span_id of the current span, on every line written inside one.
          mixin: currentTraceIds,
          // Whatever a library puts in a message, no URL leaves with its password.
          hooks: { streamWrite: redactUrls },
          // The id Fastify gave the request (see requestIdOf), so that logs and answers agree.
          genReqId: (request: IncomingMessage & { id?: string }) => request.id ?? requestIdOf(request),
          // The cached read path is the hot path: successful requests are not logged one by one.
          autoLogging: { ignore: (request: IncomingMessage) => request.method === 'GET' },
          customLogLevel: (_request, response, error) =>
            error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
        },
      }),
    }),
  ],
})
export class LoggingModule {}
