import { Injectable } from '@nestjs/common';
import { setAnswerHeader, type AnswerHeaders, type AnswerRequest } from '../../common/index.js';
import { FastAnswers, type FastAnswerSource } from '../../plan-cache/index.js';
import { plainPlanRequest } from '../dto/plain-plan-request.js';
import { MemoryPlanHits } from './memory-plan-hits.js';
import { cachedAnswer } from './plan-answer.js';
import { PLAN_CACHE_CONTROL, planEtag } from './plan-headers.js';
import { sendsDirectives } from '../requests/request-cache-control.js';
import type { TaskPlanEntry } from '../task-plan-cache/task-plan-entry.js';

/** The name `POST /api/chat/plan` gives its fast path (AnswerFromMemory). */
export const CACHED_PLAN_ANSWERS = 'cached-plan-answers';

/**
 * The hit path of `POST /api/chat/plan`: a fresh plan held in this process, answered as bytes
 * serialized once per cached entry. Anything else (a miss, Redis, a stale plan, regeneration,
 * input that needs validating) is left to TaskPlanService.
 */
@Injectable()
export class CachedPlanAnswers implements FastAnswerSource {
  /** Entries are never changed in place: a replaced plan is a new entry, with its own bytes. */
  readonly #serialized = new WeakMap<TaskPlanEntry, { bytes: Buffer; etag: string }>();

  constructor(
    private readonly hits: MemoryPlanHits,
    fastAnswers: FastAnswers,
  ) {
    fastAnswers.register(CACHED_PLAN_ANSWERS, this);
  }

  answer(request: AnswerRequest, reply: AnswerHeaders, body: unknown): Buffer | undefined {
    // Any request directive (no-cache, max-age, ...) is for the full path to judge.
    if (sendsDirectives(request)) return undefined;
    const input = plainPlanRequest(body);
    const hit = input && this.hits.find(request, input);
    if (!hit) return undefined;
    let answer = this.#serialized.get(hit.entry);
    if (!answer) {
      const bytes = Buffer.from(JSON.stringify(cachedAnswer(hit.identity, hit.entry, 'l1', false)), 'utf8');
      answer = { bytes, etag: planEtag(hit.entry.plan) };
      this.#serialized.set(hit.entry, answer);
    }
    reply.header('etag', answer.etag);
    reply.header('cache-control', PLAN_CACHE_CONTROL);
    for (const [name, value] of hit.headers) setAnswerHeader(reply, name, value);
    this.hits.answered(hit);
    return answer.bytes;
  }
}
