import type { IncomingHttpHeaders } from 'node:http';
import { Body, Controller, Get, Headers, HttpCode, Logger, Post, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiGatewayTimeoutResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Caller } from '../callers/caller.js';
import { CallerGuard, CurrentCaller } from '../callers/caller.guard.js';
import { DomainError } from '../common/domain-error.js';
import { toErrorBody } from '../common/http-exception.filter.js';
import { JSON_CONTENT_TYPE } from '../common/media-types.js';
import { AppConfig } from '../config/app-config.js';
import { ShutdownCoordinator } from '../lifecycle/shutdown.coordinator.js';
import { AnswerFromMemory } from '../plan-cache/http/fast-answer.js';
import { PlanExperiments } from './task-plan-cache/experiments/plan-experiments.js';
import { policyOfRequest } from './client-id.js';
import { CachedPlanAnswers } from './cached-plan-answers.js';
import { ChatReplyService } from './chat-reply.service.js';
import { clientGone } from './client-gone.js';
import { PLAN_CACHE_CONTROL, planEtag } from './plan-events.js';
import { PlanAnswerDto } from './dto/plan-answer.dto.js';
import { PlanRequestDto } from './dto/plan-request.dto.js';
import { STREAM_EVENT_MODELS } from './dto/stream-events.dto.js';
import { StreamQueryDto, StreamRequestDto } from './dto/stream-request.dto.js';
import type { PlannerRequest } from './planner/planner.js';
import { parseCacheControl, requestDirectives, type CacheDirectives } from './request-cache-control.js';
import { SsePlanSink } from './sse/sse-plan-sink.js';
import { SseStream } from './sse/sse-stream.js';
import { labelLanguageFor } from './sse/step-labels.js';
import { TaskPlanService } from './task-plan.service.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { CALLER_JWT, RATE_LIMIT_HEADERS, stringHeader } from '../common/openapi.js';

const SSE_EVENTS_DESCRIPTION =
  'Server-sent events: `step` {code: plan_from_cache|generating_plan|generating_reply, label}, ' +
  '`chunk` {text} in order (joined they are the plan), `done` {cached, stale, source, key, generation_ms, etag, truncated}, ' +
  '`error` {code, message, request_id} (e.g. not_cached for only-if-cached). Labels are Russian when Accept-Language ' +
  'prefers ru (`Vary: Accept-Language`). The data of each event is the schema StreamStepEventDto, ' +
  'StreamChunkEventDto, StreamDoneEventDto or StreamErrorEventDto.';

/** The stream's events, each `data` one of the event schemas. */
const SSE_RESPONSE = {
  description: SSE_EVENTS_DESCRIPTION,
  content: {
    'text/event-stream': {
      schema: { oneOf: STREAM_EVENT_MODELS.map((model) => ({ $ref: getSchemaPath(model) })) },
    },
  },
};

const toPlannerRequest = (input: { goal: string; project_context?: string }): PlannerRequest => ({
  goal: input.goal,
  projectContext: input.project_context,
});

@ApiTags('chat')
@ApiExtraModels(...STREAM_EVENT_MODELS)
@ApiSecurity({})
@ApiBearerAuth(CALLER_JWT)
@ApiUnauthorizedResponse({
  type: ErrorResponseDto,
  description:
    'A bearer token that does not verify (expired, wrong issuer or audience, unknown key, alg none), none when AUTH_ANONYMOUS=false, or mode=chat without the right',
})
@ApiForbiddenResponse({
  type: ErrorResponseDto,
  description:
    'A request from another site (Sec-Fetch-Site: cross-site, or an Origin not in CORS_ORIGINS) that would start a generation',
})
@ApiTooManyRequestsResponse({
  type: ErrorResponseDto,
  headers: RATE_LIMIT_HEADERS,
  description:
    'The caller has spent its generations for the minute, or its tenant its tokens for the day; cached plans are still served',
})
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'The input is not valid; the message names the field' })
@ApiHeader({
  name: 'Cache-Control',
  required: false,
  description:
    'Request directives (RFC 9111): `no-cache` regenerates and replaces the plan; `no-store` generates without ' +
    'reading or writing the cache; `max-age=N` accepts a cached plan at most N seconds old, else regenerates; ' +
    '`only-if-cached` answers from the cache or 504. Unknown or malformed directives are ignored. The body may ' +
    'say the same in `cache`; both must agree. Not read on GET /api/chat/stream (see `cache_control`).',
})
@ApiHeader({
  name: 'X-Client-Id',
  required: false,
  description:
    'Who asks (1 to 128 visible ASCII characters), for the A/B test of cache policies when one runs; ' +
    'else the address decides. The answer names the variant in `X-Cache-Variant`.',
})
@Controller('api/chat')
@UseGuards(CallerGuard)
export class ChatController {
  readonly #logger = new Logger(ChatController.name);
  readonly #heartbeatMs: number;

  constructor(
    private readonly plans: TaskPlanService,
    private readonly replies: ChatReplyService,
    private readonly shutdown: ShutdownCoordinator,
    private readonly experiments: PlanExperiments,
    config: AppConfig,
  ) {
    this.#heartbeatMs = config.sseHeartbeatMs;
  }

  @Post('plan')
  @HttpCode(200)
  @AnswerFromMemory(CachedPlanAnswers)
  @ApiOperation({ summary: 'A step-by-step plan for a goal, from the cache when it has one' })
  @ApiOkResponse({
    type: PlanAnswerDto,
    headers: {
      'X-Cache': stringHeader('HIT, MISS or STALE'),
      'X-Cache-Variant': stringHeader('The experiment variant of this client, while an experiment runs'),
      ETag: stringHeader('Weak entity tag of the plan text: the same from the cache or the planner'),
      'Cache-Control': stringHeader('private: plans can carry project context'),
    },
  })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    headers: { 'Retry-After': stringHeader('When the planner queue was full or the wait too long') },
    description:
      'The planner failed and no usable cached plan exists, or every planner slot was busy (PLANNER_MAX_CONCURRENCY) and the queue full or the wait over PLANNER_QUEUE_TIMEOUT_MS',
  })
  @ApiGatewayTimeoutResponse({
    type: ErrorResponseDto,
    description: 'The planner did not answer in time and no usable cached plan exists',
  })
  async plan(
    @Body() body: PlanRequestDto,
    @Headers('cache-control') cacheControl: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PlanAnswerDto> {
    // This route is outside the request-logging middleware (its hits are the hot path): what is
    // worth a line, a generation or a failure, is logged here with the request id.
    const req = { id: reply.request.id, method: 'POST', url: '/api/chat/plan' };
    const started = performance.now();
    const directives = requestDirectives(cacheControl, body.cache);
    const policy = policyOfRequest(this.experiments, reply.request, (name, value) => void reply.header(name, value));
    void reply.header('cache-control', PLAN_CACHE_CONTROL);
    try {
      const answer = await this.plans.plan(toPlannerRequest(body), {
        directives,
        clientGone: clientGone(reply.raw),
        policy,
        caller,
      });
      const cache = answer.stale ? 'STALE' : answer.cached ? 'HIT' : 'MISS';
      void reply.header('x-cache', cache).header('etag', planEtag(answer.plan));
      if (cache !== 'HIT') {
        this.#logger.log({ msg: 'Plan answered', req, cache, key: answer.key, generation_ms: answer.generation_ms });
      }
      return answer;
    } catch (error) {
      this.#logger.warn({ msg: 'Plan failed', req, err: (error as Error).message });
      throw error;
    } finally {
      this.experiments.recordRequest(policy, performance.now() - started);
    }
  }

  @Get('stream')
  @ApiOperation({ summary: 'A plan (or, with mode=chat, a reply) as server-sent events' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse(SSE_RESPONSE)
  streamFromQuery(
    @Query() query: StreamQueryDto,
    @Headers() headers: IncomingHttpHeaders,
    @CurrentCaller() caller: Caller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // A browser's EventSource always sends `Cache-Control: no-cache` (its fetch cache mode is
    // no-store): honouring it would regenerate every browser's plan. The query says it instead.
    return this.#stream(query, headers, caller, reply, parseCacheControl(query.cache_control));
  }

  @Post('stream')
  @HttpCode(200)
  @ApiOperation({ summary: 'The same stream, with the fields in a JSON body' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse(SSE_RESPONSE)
  streamFromBody(
    @Body() body: StreamRequestDto,
    @Headers() headers: IncomingHttpHeaders,
    @CurrentCaller() caller: Caller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.#stream(body, headers, caller, reply, requestDirectives(headers['cache-control'], body.cache));
  }

  async #stream(
    input: StreamQueryDto,
    headers: IncomingHttpHeaders,
    caller: Caller,
    reply: FastifyReply,
    directives: CacheDirectives,
  ): Promise<void> {
    const started = performance.now();
    const policy =
      input.mode === 'chat'
        ? undefined
        : policyOfRequest(this.experiments, reply.request, (name, value) => reply.raw.setHeader(name, value));
    // The step labels follow Accept-Language, besides what the policy follows (X-Client-Id).
    const policyVary = reply.raw.getHeader('vary');
    reply.raw.setHeader('vary', policyVary ? `Accept-Language, ${String(policyVary)}` : 'Accept-Language');
    reply.hijack();
    const stream = new SseStream(reply.raw, this.#heartbeatMs);
    const sink = new SsePlanSink(stream, labelLanguageFor(headers['accept-language']), reply.request.id);
    const gone = clientGone(reply.raw);
    const untrack = this.shutdown.track({
      interrupt: () => {
        sink.error('shutting_down', 'The service is shutting down; reconnect to continue');
        stream.end();
      },
    });
    try {
      if (policy === undefined) {
        await this.replies.streamReply(toPlannerRequest(input), caller, gone, sink);
      } else {
        await this.plans.streamPlan(toPlannerRequest(input), { directives, clientGone: gone, policy, caller }, sink);
      }
    } catch (error) {
      if (error instanceof DomainError && !stream.started) {
        // Refused before anything was sent (a limit, a busy planner): a plain HTTP error.
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
      if (policy) this.experiments.recordRequest(policy, performance.now() - started);
    }
  }
}
