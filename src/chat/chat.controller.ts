import type { IncomingHttpHeaders } from 'node:http';
import { Body, Controller, Get, Headers, HttpCode, Logger, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Caller } from '../callers/index.js';
import { CallerGuard, CurrentCaller, OpenStreams } from '../callers/index.js';
import { setAnswerHeader } from '../common/index.js';
import { AnswerFromMemory } from '../plan-cache/index.js';
import { CACHED_PLAN_ANSWERS } from './answers/cached-plan-answers.js';
import { CACHED_PLAN_STREAMS } from './streams/cached-plan-streams.js';
import { ChatApiDocs, FeedbackRouteDocs, PlanRouteDocs, StreamRouteDocs } from './chat.api-docs.js';
import { ChatReplyService } from './chat-reply.service.js';
import { clientGone } from './streams/client-gone.js';
import { PlanAnswerDto } from './dto/plan-answer.dto.js';
import { FeedbackReceiptDto, PlanFeedbackDto } from './dto/plan-feedback.dto.js';
import { PlanRequestDto } from './dto/plan-request.dto.js';
import { StreamQueryDto, StreamRequestDto } from './dto/stream-request.dto.js';
import { PLAN_CACHE_CONTROL, planEtag } from './answers/plan-headers.js';
import { PlanRequestContexts } from './requests/plan-request-context.js';
import type { PlannerRequest } from './planner/planner.js';
import { parseCacheControl, requestDirectives, type CacheDirectives } from './requests/request-cache-control.js';
import { SemanticFeedback } from './semantic/semantic-feedback.js';
import { PlanStreams } from './streams/plan-streams.js';
import { TaskPlanService } from './task-plan.service.js';

const toPlannerRequest = (input: { goal: string; project_context?: string }): PlannerRequest => ({
  goal: input.goal,
  projectContext: input.project_context,
});

@ChatApiDocs()
@Controller('api/chat')
@UseGuards(CallerGuard)
export class ChatController {
  readonly #logger = new Logger(ChatController.name);

  constructor(
    private readonly taskPlans: TaskPlanService,
    private readonly replies: ChatReplyService,
    private readonly contexts: PlanRequestContexts,
    private readonly streams: PlanStreams,
    private readonly feedback: SemanticFeedback,
    private readonly openStreams: OpenStreams,
  ) {}

  @Post('plan/feedback')
  @HttpCode(200)
  @FeedbackRouteDocs()
  planFeedback(@Body() body: PlanFeedbackDto, @CurrentCaller() caller: Caller): Promise<FeedbackReceiptDto> {
    return this.feedback.record(body, caller);
  }

  @Post('plan')
  @HttpCode(200)
  @AnswerFromMemory(CACHED_PLAN_ANSWERS)
  @PlanRouteDocs()
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
    const context = this.contexts.build(reply, caller, directives, (name, value) =>
      setAnswerHeader(reply, name, value),
    );
    void reply.header('cache-control', PLAN_CACHE_CONTROL);
    try {
      const answer = await this.taskPlans.plan(toPlannerRequest(body), context);
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
      this.contexts.finished(context.policy, started);
    }
  }

  @Get('stream')
  @AnswerFromMemory(CACHED_PLAN_STREAMS)
  @StreamRouteDocs('A plan (or, with mode=chat, a reply) as server-sent events')
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
  @AnswerFromMemory(CACHED_PLAN_STREAMS)
  @StreamRouteDocs('The same stream, with the fields in a JSON body')
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
    const request = toPlannerRequest(input);
    // Refused (429) before the stream opens; the place is given back when the connection closes.
    const close = this.openStreams.open(caller);
    reply.raw.once('close', close);
    try {
      if (input.mode === 'chat') {
        const gone = clientGone(reply.raw);
        return await this.streams.serve(reply, headers['accept-language'], (sink) =>
          this.replies.streamReply(request, caller, gone, sink),
        );
      }
      const context = this.contexts.build(reply, caller, directives, (name, value) => reply.raw.setHeader(name, value));
      try {
        await this.streams.serve(reply, headers['accept-language'], (sink) =>
          this.taskPlans.streamPlan(request, context, sink),
        );
      } finally {
        this.contexts.finished(context.policy, started);
      }
    } finally {
      close();
    }
  }
}
