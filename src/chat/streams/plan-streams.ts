import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError, toErrorBody, JSON_CONTENT_TYPE, withVary } from '../../common/index.js';
import { AppConfig } from '../../config/index.js';
import { ShutdownCoordinator } from '../../lifecycle/index.js';
import type { PlanEventSink } from './plan-replay.js';
import { SsePlanSink } from './sse-plan-sink.js';
import { SseStream, STREAM_VARY } from './sse-stream.js';
import { labelLanguageFor } from './step-labels.js';

/**
 * Serves a use case's events as server-sent events on a reply taken from NestJS: labels in the
 * client's language, heartbeats, an `error` event when the service shuts down, and a refusal that
 * comes before the first event (a limit, a busy planner) answered as a plain HTTP error.
 */
@Injectable()
export class PlanStreams {
  readonly #logger = new Logger(PlanStreams.name);
  readonly #heartbeatMs: number;

  constructor(
    private readonly shutdown: ShutdownCoordinator,
    config: AppConfig,
  ) {
    this.#heartbeatMs = config.sseHeartbeatMs;
  }

  async serve(
    reply: FastifyReply,
    acceptLanguage: string | undefined,
    produce: (sink: PlanEventSink) => Promise<void>,
  ): Promise<void> {
    // CORS's Vary (Origin) is on Fastify's reply, the policy's (X-Client-Id) on the raw response.
    const vary = withVary(STREAM_VARY, reply.getHeader('vary'), reply.raw.getHeader('vary'));
    // Taken from Fastify, the reply writes its own head: the headers Fastify holds (request id, ...) go with it.
    for (const [name, value] of Object.entries(reply.getHeaders()))
      if (value !== undefined) reply.raw.setHeader(name, value);
    reply.raw.setHeader('vary', vary);
    reply.hijack();
    const stream = new SseStream(reply.raw, this.#heartbeatMs);
    const sink = new SsePlanSink(stream, labelLanguageFor(acceptLanguage), reply.request.id);
    const untrack = this.shutdown.track({
      interrupt: () => {
        sink.error('shutting_down', 'The service is shutting down; reconnect to continue');
        stream.end();
      },
    });
    try {
      await produce(sink);
    } catch (error) {
      if (error instanceof DomainError && !stream.started) {
        const body = toErrorBody(error, reply.request.id);
        reply.raw.writeHead(body.statusCode, { 'content-type': JSON_CONTENT_TYPE, ...error.headers });
        reply.raw.end(JSON.stringify(body));
      } else {
        this.#logger.error({ msg: 'The stream failed', err: error });
        sink.error('internal_error', 'The stream failed');
      }
    } finally {
      untrack();
      stream.end();
    }
  }
}
