import { Injectable } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { inSpan } from '../tracing/index.js';
import { AppConfig } from '../config/index.js';
import { cachedAnswer, generatedAnswer, similarAnswer, type PlanAnswer } from './answers/plan-answer.js';
import { replayAnswer, replayCachedPlan, streamSummary, type PlanEventSink } from './streams/plan-replay.js';
import { EarlyRefreshes } from './generation/early-refreshes.js';
import type { PlanRequestContext } from './requests/plan-request-context.js';
import type { PlannerRequest } from './planner/planner.js';
import {
  describeFailure,
  GenerationCancelledError,
  isPlannerFailure,
  NotCachedError,
} from './planner/planner.errors.js';
import type { CacheDirectives } from './requests/request-cache-control.js';
import { SemanticMatcher, type SemanticCandidate, type SemanticLookup } from './semantic/semantic-matcher.js';
import { SemanticLookupBudget } from './semantic/semantic-lookup-budget.js';
import { SemanticVerifier } from './semantic/semantic-verifier.js';
import { PlanScopes } from './task-plan-cache/plan-scope.js';
import { TaskPlanCache, type TaskPlanLookup } from './task-plan-cache/task-plan-cache.js';
import type { TaskPlanIdentity } from './task-plan-cache/task-plan-key.js';
import { TaskPlanLoader } from './generation/task-plan-loader.js';

type TierName = 'l1' | 'l2';

type Found = TaskPlanLookup & { source: TierName; fallbackSource: TierName };

/**
 * Task plans: from the cache when it has a fresh one (for this goal, else for a near-duplicate
 * goal), else from the planner (one call per key however many clients ask), kept when worth it,
 * and an expired plan when the planner fails.
 */
@Injectable()
export class TaskPlanService {
  readonly #semantic: boolean;

  constructor(
    private readonly cache: TaskPlanCache,
    private readonly loader: TaskPlanLoader,
    private readonly earlyRefreshes: EarlyRefreshes,
    private readonly matcher: SemanticMatcher,
    private readonly verifier: SemanticVerifier,
    private readonly lookups: SemanticLookupBudget,
    private readonly scopes: PlanScopes,
    config: AppConfig,
  ) {
    this.#semantic = config.semantic.enabled;
  }

  plan(request: PlannerRequest, context: PlanRequestContext): Promise<PlanAnswer> {
    return traceTaskPlan(async () => {
      const answer = await this.#plan(request, context);
      traced({
        result: answer.stale ? 'stale' : answer.source === 'semantic' ? 'semantic' : answer.cached ? 'hit' : 'miss',
        source: answer.source,
        key: answer.key,
      });
      return answer;
    });
  }

  async #plan(request: PlannerRequest, context: PlanRequestContext): Promise<PlanAnswer> {
    const identity = this.scopes.identityFor(request, context.caller);
    const { fresh, fallback, source, fallbackSource } = await this.#lookup(identity, context);
    if (fresh) {
      this.earlyRefreshes.afterHit(identity, request, fresh, context);
      return cachedAnswer(identity, fresh.value, source, false);
    }
    const { match, nearMiss } = await this.#similar(identity, context);
    if (match) return similarAnswer(this.#servedSimilar(identity, request, match, context));
    if (context.directives.onlyIfCached) throw new NotCachedError();

    const shared = await this.loader.load(identity, request, context, false);
    const leave = shared.generation.follow(context.clientGone);
    try {
      const answer = generatedAnswer(identity, await shared.completion);
      if (nearMiss) this.verifier.afterGeneration(identity.goal, answer.plan, nearMiss);
      return answer;
    } catch (error) {
      if (!fallback || !isPlannerFailure(error)) throw error;
      this.cache.recordStaleAnswer(identity, context.policy, fallback);
      return cachedAnswer(identity, fallback.value, fallbackSource, true);
    } finally {
      leave();
    }
  }

  /** The same use case as {@link plan}, streamed: a cached plan line by line, a new one as it is made. */
  streamPlan(request: PlannerRequest, context: PlanRequestContext, sink: PlanEventSink): Promise<void> {
    return traceTaskPlan(() => this.#streamPlan(request, context, tracedSink(sink)));
  }

  async #streamPlan(request: PlannerRequest, context: PlanRequestContext, sink: PlanEventSink): Promise<void> {
    const identity = this.scopes.identityFor(request, context.caller);
    const { fresh, fallback, source, fallbackSource } = await this.#lookup(identity, context);
    if (fresh) {
      this.earlyRefreshes.afterHit(identity, request, fresh, context);
      return replayCachedPlan(identity, fresh.value, source, false, sink);
    }
    const { match, nearMiss } = await this.#similar(identity, context);
    if (match) {
      const served = this.#servedSimilar(identity, request, match, context);
      return replayAnswer('plan_from_similar', similarAnswer(served), sink);
    }

    if (context.directives.onlyIfCached) {
      const { code, message } = describeFailure(new NotCachedError());
      return sink.error(code, message);
    }
    const shared = await this.loader.load(identity, request, context, true);
    sink.step('generating_plan');
    let streamed = 0;
    const leave = shared.generation.follow(context.clientGone, (text) => {
      streamed++;
      sink.chunk(text);
    });
    try {
      const answer = generatedAnswer(identity, await shared.completion);
      sink.done(streamSummary(answer));
      if (nearMiss) this.verifier.afterGeneration(identity.goal, answer.plan, nearMiss);
    } catch (error) {
      if (error instanceof GenerationCancelledError) return;
      // A stale plan can stand in only while nothing of the failed one was sent.
      if (fallback && streamed === 0 && isPlannerFailure(error)) {
        this.cache.recordStaleAnswer(identity, context.policy, fallback);
        return replayCachedPlan(identity, fallback.value, fallbackSource, true, sink);
      }
      const { code, message } = describeFailure(error);
      sink.error(code, message);
    } finally {
      leave();
    }
  }

  /** A fresh plan from this process, else from Redis; and the fallback for a failing planner. */
  async #lookup(identity: TaskPlanIdentity, { directives, policy, caller }: PlanRequestContext): Promise<Found> {
    const bypass = directives.noCache || directives.noStore;
    const { maxAgeMs } = directives;
    // A miss is counted once near-duplicates have been looked at too.
    const deferMiss = this.#mayMatchSimilar(directives);
    const { tenant } = caller;
    const local = this.cache.lookup(identity, policy, { bypass, maxAgeMs, deferMiss, tenant });
    // no-store reads nothing: not even an expired plan to stand in for a failing planner.
    if (directives.noStore) return { source: 'l1', fallbackSource: 'l1' };
    if (local.fresh || bypass || !this.cache.shared) return { ...local, source: 'l1', fallbackSource: 'l1' };
    const shared = await this.cache.lookupShared(identity, policy, { maxAgeMs, deferMiss, tenant });
    if (shared.fallback) return { ...shared, source: 'l2', fallbackSource: 'l2' };
    return { fresh: shared.fresh, fallback: local.fallback, source: 'l2', fallbackSource: 'l1' };
  }

  /** After an exact miss: the plan of a near-duplicate goal, within the caller's lookups, or the miss counted. */
  async #similar(
    identity: TaskPlanIdentity,
    { directives, policy, caller }: PlanRequestContext,
  ): Promise<SemanticLookup> {
    if (!this.#mayMatchSimilar(directives)) return {};
    if (!(await this.lookups.take(caller))) {
      this.cache.countMiss(identity, policy);
      return {};
    }
    const lookup = await this.matcher.find(identity, policy, directives.maxAgeMs);
    if (lookup.match) this.cache.recordSimilarHit(identity, policy, lookup.match, caller.tenant);
    else this.cache.countMiss(identity, policy);
    return lookup;
  }

  #servedSimilar(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    match: SemanticCandidate,
    context: PlanRequestContext,
  ): SemanticCandidate {
    this.verifier.afterHit(identity, request, match, context);
    return match;
  }

  /** `no-cache` and `no-store` ask for a new plan, `exact` for this goal's plan only. */
  #mayMatchSimilar(directives: CacheDirectives): boolean {
    return this.#semantic && this.cache.storing && !directives.exact && !directives.noCache && !directives.noStore;
  }
}

/** The task-plan use case as a span, `plan_cache.result` and the rest set where they are known. */
const traceTaskPlan = <T>(work: () => Promise<T>): Promise<T> => inSpan('plan_cache task_plan', {}, () => work());

function traced(outcome: { result: string; source?: string | null; key?: string | null }): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  span.setAttribute('plan_cache.result', outcome.result);
  if (outcome.source) span.setAttribute('plan_cache.source', outcome.source);
  if (outcome.key) span.setAttribute('plan_cache.key', outcome.key);
}

/** A sink that also tells the span how the stream's plan was found. */
function tracedSink(sink: PlanEventSink): PlanEventSink {
  return {
    step: (code) => sink.step(code),
    chunk: (text) => sink.chunk(text),
    done: (summary) => {
      const result = summary.stale
        ? 'stale'
        : summary.source === 'semantic'
          ? 'semantic'
          : summary.cached
            ? 'hit'
            : 'miss';
      traced({ result, source: summary.source, key: summary.key });
      sink.done(summary);
    },
    error: (code, message) => {
      traced({ result: 'error' });
      sink.error(code, message);
    },
  };
}
