import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CallerResolver } from '../callers/caller.resolver.js';
import { AppConfig } from '../config/app-config.js';
import { FastAnswers, type FastAnswerSource } from '../plan-cache/http/fast-answers.js';
import { plainPlanRequest } from './dto/plain-plan-request.js';
import { cachedAnswer, PLAN_CACHE_CONTROL, planEtag } from './plan-events.js';
import { PlanHits } from './plan-hits.js';
import { PlanRequestContexts } from './plan-request-context.js';
import { hasDirectives, parseCacheControl } from './request-cache-control.js';
import { planIdentityFor } from './task-plan-cache/plan-scope.js';
import { TaskPlanCache } from './task-plan-cache/task-plan-cache.js';
import type { TaskPlanEntry } from './task-plan-cache/task-plan-entry.js';
import type { TaskPlanPolicy } from './task-plan-cache/task-plan-policy.js';

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
  readonly #scope: AppConfig['cacheScope'];

  constructor(
    private readonly cache: TaskPlanCache,
    private readonly hits: PlanHits,
    private readonly contexts: PlanRequestContexts,
    private readonly callers: CallerResolver,
    fastAnswers: FastAnswers,
    config: AppConfig,
  ) {
    this.#scope = config.cacheScope;
    fastAnswers.register(CACHED_PLAN_ANSWERS, this);
  }

  answer(request: FastifyRequest, reply: FastifyReply, body: unknown): Buffer | undefined {
    const started = performance.now();
    // Any request directive (no-cache, max-age, ...) is for the full path to judge.
    if (hasDirectives(parseCacheControl(request.headers['cache-control']))) return undefined;
    const input = plainPlanRequest(body);
    if (!input) return undefined;
    // A caller not known at once (a token not verified yet, a refused one) goes the full way.
    const caller = this.callers.known(request);
    if (!caller) return undefined;
    const headers: [string, string][] = [];
    const policy = this.#policyOf(request, headers);
    if (!policy) return undefined;
    const identity = planIdentityFor(input, caller, this.#scope);
    const entry = this.cache.freshInMemory(identity, policy);
    if (!entry) return undefined;
    this.hits.afterHit(identity, input, entry, { policy, caller });
    let answer = this.#serialized.get(entry);
    if (!answer) {
      const bytes = Buffer.from(JSON.stringify(cachedAnswer(identity, entry, 'l1', false)), 'utf8');
      answer = { bytes, etag: planEtag(entry.plan) };
      this.#serialized.set(entry, answer);
    }
    void reply.header('etag', answer.etag).header('cache-control', PLAN_CACHE_CONTROL);
    for (const [name, value] of headers) void reply.header(name, value);
    this.contexts.finished(policy, started);
    return answer.bytes;
  }

  /** The request's policy; undefined for a malformed X-Client-Id, which the handler refuses. */
  #policyOf(request: FastifyRequest, headers: [string, string][]): TaskPlanPolicy | undefined {
    try {
      return this.contexts.policyOf(request, (name, value) => headers.push([name, value]));
    } catch {
      return undefined;
    }
  }
}
