import { applyDecorators } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiGatewayTimeoutResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiSecurity,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { ErrorResponseDto, CALLER_JWT, RATE_LIMIT_HEADERS, stringHeader } from '../common/index.js';
import { PlanAnswerDto } from './dto/plan-answer.dto.js';
import { FeedbackReceiptDto } from './dto/plan-feedback.dto.js';
import { STREAM_EVENT_MODELS } from './dto/stream-events.dto.js';

const SSE_EVENTS_DESCRIPTION =
  'Server-sent events: `step` {code: plan_from_cache|plan_from_similar|generating_plan|generating_reply, label}, ' +
  '`chunk` {text} in order (joined they are the plan), `done` {cached, stale, source, key, generation_ms, etag, truncated, ' +
  'match (source semantic only)}, sent with `retry: 86400000` so that an EventSource left open does not ask again, ' +
  '`error` {code, message, request_id} (e.g. not_cached for only-if-cached). Labels are Russian when Accept-Language ' +
  'prefers ru (`Vary: Accept-Language`). The data of each event is the schema StreamStepEventDto, ' +
  'StreamChunkEventDto, StreamDoneEventDto or StreamErrorEventDto.';

/** The OpenAPI description of the chat routes, kept apart so that the controller reads as what it does. */
export const ChatApiDocs = (): ClassDecorator =>
  applyDecorators(
    // In the order TypeScript would apply them as class decorators written top to bottom.
    ApiHeader({
      name: 'X-Client-Id',
      required: false,
      description:
        'Who asks (1 to 128 visible ASCII characters), for the A/B test of cache policies when one runs; ' +
        'else the address decides. The answer names the variant in `X-Cache-Variant`.',
    }),
    ApiHeader({
      name: 'Cache-Control',
      required: false,
      description:
        'Request directives (RFC 9111): `no-cache` regenerates and replaces the plan; `no-store` generates without ' +
        'reading or writing the cache; `max-age=N` accepts a cached plan at most N seconds old, else regenerates; ' +
        '`only-if-cached` answers from the cache or 504; `exact` (ours) serves only a plan cached for exactly this goal, ' +
        'never one of a near-duplicate goal. Unknown or malformed directives are ignored. The body may ' +
        'say the same in `cache`; both must agree. Not read on GET /api/chat/stream (see `cache_control`).',
    }),
    ApiBadRequestResponse({
      type: ErrorResponseDto,
      description: 'The input is not valid; the message names the field',
    }),
    ApiTooManyRequestsResponse({
      type: ErrorResponseDto,
      headers: RATE_LIMIT_HEADERS,
      description:
        'The caller has spent its generations for the minute, or its tenant its tokens for the day (cached plans are still served), or it holds LIMIT_STREAMS_PER_CALLER open streams (streams only)',
    }),
    ApiForbiddenResponse({
      type: ErrorResponseDto,
      description:
        'A request from another site (Sec-Fetch-Site: cross-site, or an Origin not in CORS_ORIGINS) that would start a generation',
    }),
    ApiUnauthorizedResponse({
      type: ErrorResponseDto,
      description:
        'A bearer token that does not verify (expired or without exp, wrong issuer or audience, unknown key, alg none, no tenant claim where one is required), none when AUTH_ANONYMOUS=false, or mode=chat without the right',
    }),
    ApiBearerAuth(CALLER_JWT),
    ApiSecurity({}),
    ApiExtraModels(...STREAM_EVENT_MODELS),
    ApiTags('chat'),
  );

export const PlanRouteDocs = (): MethodDecorator =>
  applyDecorators(
    ApiOperation({ summary: 'A step-by-step plan for a goal, from the cache when it has one' }),
    ApiOkResponse({
      type: PlanAnswerDto,
      headers: {
        'X-Cache': stringHeader('HIT, MISS or STALE'),
        'X-Cache-Variant': stringHeader('The experiment variant of this client, while an experiment runs'),
        ETag: stringHeader('Weak entity tag of the plan text: the same from the cache or the planner'),
        'Cache-Control': stringHeader('private: plans can carry project context'),
      },
    }),
    ApiServiceUnavailableResponse({
      type: ErrorResponseDto,
      headers: { 'Retry-After': stringHeader('When the planner queue was full or the wait too long') },
      description:
        'The planner failed and no usable cached plan exists, or every planner slot was busy (PLANNER_MAX_CONCURRENCY) and the queue full or the wait over PLANNER_QUEUE_TIMEOUT_MS',
    }),
    ApiBadGatewayResponse({
      type: ErrorResponseDto,
      description:
        'The planner answered more than a plan can be (bytes derived from PLANNER_MAX_PLAN_CHARS), and no usable cached plan exists',
    }),
    ApiGatewayTimeoutResponse({
      type: ErrorResponseDto,
      description: 'The planner did not answer in time and no usable cached plan exists',
    }),
  );

/** The stream's events, each `data` one of the event schemas. */
export const StreamRouteDocs = (summary: string): MethodDecorator =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiProduces('text/event-stream'),
    ApiOkResponse({
      description: SSE_EVENTS_DESCRIPTION,
      content: {
        'text/event-stream': {
          schema: { oneOf: STREAM_EVENT_MODELS.map((model) => ({ $ref: getSchemaPath(model) })) },
        },
      },
    }),
  );

export const FeedbackRouteDocs = (): MethodDecorator =>
  applyDecorators(
    ApiOperation({
      summary: 'Says whether a served plan was what was asked ("not what I asked")',
      description:
        'An observation of the cached entry under `key` at the similarity of `goal` to its goal: a wrong plan raises ' +
        'the entry’s similarity threshold above it, so that goals that far are not served it again. Confirmations ' +
        'never lower a threshold under PLAN_CACHE_SEMANTIC_THRESHOLD. Signed-in callers only (anonymous reports of ' +
        'a wrong plan with SEMANTIC_FEEDBACK_ANONYMOUS=true); each caller counts once per entry and goal, a few times ' +
        'per entry, and within LIMIT_FEEDBACK_PER_MINUTE.',
    }),
    ApiOkResponse({ type: FeedbackReceiptDto }),
    ApiNotFoundResponse({
      type: ErrorResponseDto,
      description: 'No cached plan under that key in the caller’s scope, or semantic matching is off',
    }),
    ApiUnauthorizedResponse({
      type: ErrorResponseDto,
      description: 'No signed-in caller, or a token that does not verify',
    }),
    ApiForbiddenResponse({ type: ErrorResponseDto, description: 'An anonymous confirmation (wrong: false)' }),
    ApiTooManyRequestsResponse({
      type: ErrorResponseDto,
      headers: RATE_LIMIT_HEADERS,
      description: 'The caller has given its LIMIT_FEEDBACK_PER_MINUTE feedbacks for the minute',
    }),
    ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'The embeddings provider is not answering' }),
  );
