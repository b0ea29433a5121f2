import { currentTraceIds } from '../tracing/index.js';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, redactUrls } from '../config/index.js';
import { RequestLogging } from './request-logging.js';

export { requestIdOf } from './request-id.js';

/** Structured logs: JSON lines in production, pretty lines in development; no secrets. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // No request middleware (RequestLogging logs requests): nestjs-pino's binds each request
        // with AsyncLocalStorage, a cost every request of the process would pay on Node 20.
        forRoutes: [],
        pinoHttp: {
          level: config.logLevel,
          transport: config.prettyLogs ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers["proxy-authorization"]',
              'req.headers["x-api-key"]',
              'req.headers.cookie',
            ],
            censor: '[redacted]',
          },
          // trace_id and span_id of the current span, on every line written inside one.
          mixin: currentTraceIds,
          // Whatever a library puts in a message, no URL leaves with its password.
          hooks: { streamWrite: redactUrls },
        },
      }),
    }),
  ],
  providers: [RequestLogging],
})
export class LoggingModule {}
