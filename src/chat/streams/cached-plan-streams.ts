import { Injectable } from '@nestjs/common';
import { FastAnswers, type FastAnswerSource } from '../../plan-cache/index.js';
import { plainPlanRequest } from '../dto/plain-plan-request.js';
import { MemoryPlanHits, type MemoryPlanHit } from '../answers/memory-plan-hits.js';
import { replayCachedPlan } from './plan-replay.js';
import type { PlannerRequest } from '../planner/planner.js';
import { sendsDirectives } from '../requests/request-cache-control.js';
import { SsePlanSink } from './sse-plan-sink.js';
import { setAnswerHeader, withVary, type AnswerHeaders, type AnswerRequest } from '../../common/index.js';
import { SSE_HEADERS, sseEvent, STREAM_VARY } from './sse-stream.js';
import { labelLanguageFor, type LabelLanguage } from './step-labels.js';
import type { TaskPlanEntry } from '../task-plan-cache/task-plan-entry.js';

/** The name the stream routes give their fast path (AnswerFromMemory). */
export const CACHED_PLAN_STREAMS = 'cached-plan-streams';

const STREAM_FIELDS = new Set(['goal', 'project_context', 'mode']);

/**
 * The hit path of `GET` and `POST /api/chat/stream`: a fresh plan held in this process, answered
 * as its whole event stream (step, chunks, done) in one write, the same bytes the full path
 * sends, serialized once per cached entry and label language. Anything else (chat mode,
 * directives, a miss, input that needs validating) is left to the route.
 */
@Injectable()
export class CachedPlanStreams implements FastAnswerSource {
  /** Entries are never changed in place: a replaced plan is a new entry, with its own bytes. */
  readonly #serialized = new WeakMap<TaskPlanEntry, Partial<Record<LabelLanguage, Buffer>>>();

  constructor(
    private readonly hits: MemoryPlanHits,
    fastAnswers: FastAnswers,
  ) {
    fastAnswers.register(CACHED_PLAN_STREAMS, this);
  }

  answer(request: AnswerRequest, reply: AnswerHeaders, body: unknown): Buffer | undefined {
    const input = request.method === 'GET' ? plainStreamRequest(request.query) : this.#bodyInput(request, body);
    const hit = input && this.hits.find(request, input);
    if (!hit) return undefined;
    const language = labelLanguageFor(request.headers['accept-language']);
    const bytes = this.#events(hit, language);
    for (const [name, value] of Object.entries(SSE_HEADERS)) reply.header(name, value);
    // In the order the full path adds them (PlanStreams): the stream's, CORS's, the policy's.
    reply.header('vary', withVary(STREAM_VARY, reply.getHeader('vary')));
    for (const [name, value] of hit.headers) setAnswerHeader(reply, name, value);
    this.hits.answered(hit);
    return bytes;
  }

  /** POST reads `Cache-Control` (GET cannot: browsers' EventSource always sends `no-cache`). */
  #bodyInput(request: AnswerRequest, body: unknown): PlannerRequest | undefined {
    if (sendsDirectives(request)) return undefined;
    return plainStreamRequest(body);
  }

  #events({ identity, entry }: MemoryPlanHit, language: LabelLanguage): Buffer {
    let byLanguage = this.#serialized.get(entry);
    if (!byLanguage) this.#serialized.set(entry, (byLanguage = {}));
    let bytes = byLanguage[language];
    if (!bytes) {
      const events: string[] = [];
      // Errors are never part of a replay: no request id is needed in its sink.
      const sink = new SsePlanSink(
        { send: (event, data, retryMs) => events.push(sseEvent(event, data, retryMs)) },
        language,
        '',
      );
      replayCachedPlan(identity, entry, 'l1', false, sink);
      bytes = byLanguage[language] = Buffer.from(events.join(''), 'utf8');
    }
    return bytes;
  }
}

/**
 * A stream request in `mode=plan` that the stream DTOs surely accept as it stands (no directives,
 * no other fields), else undefined: the route validates it and explains what is wrong.
 */
function plainStreamRequest(value: unknown): PlannerRequest | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const fields = value as Record<string, unknown>;
  for (const field of Object.keys(fields)) if (!STREAM_FIELDS.has(field)) return undefined;
  const { mode, ...plan } = fields;
  if (mode !== undefined && mode !== 'plan') return undefined;
  return plainPlanRequest(plan);
}
