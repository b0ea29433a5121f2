import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '../callers/caller.js';
import { GenerationAdmission, type GenerationPermit } from '../callers/generation-admission.js';
import { AppConfig } from '../config/app-config.js';
import { SavingsMetrics } from '../metrics/savings.metrics.js';
import type { PlanUsage, TaskPlanEntry } from './task-plan-cache/task-plan-entry.js';
import type { LoadStamp } from '../plan-cache/cache/cache-namespace.js';
import { TaskPlanCache, type GeneratedPlan, type TaskPlanLookup } from './task-plan-cache/task-plan-cache.js';
import type { TaskPlanIdentity } from './task-plan-cache/task-plan-key.js';
import { planIdentityFor } from './task-plan-cache/plan-scope.js';
import type { TaskPlanPolicy } from './task-plan-cache/task-plan-policy.js';
import { Generation, type GenerationResult } from './generation/generation.js';
import { GenerationRegistry, type SharedGeneration } from './generation/generation-registry.js';
import { cachedAnswer, linesOf, planEtag, type PlanAnswer, type PlanEventSink } from './plan-events.js';
import { PLANNER, type Planner, type PlannerRequest } from './planner/planner.js';
import {
  describeFailure,
  GenerationCancelledError,
  PlannerTimeoutError,
  PlannerUnavailableError,
  NotCachedError,
} from './planner/planner.errors.js';
import type { CacheDirectives } from './request-cache-control.js';
import { RefreshAhead, type RefreshOutcome } from './task-plan-cache/refresh-ahead.js';

export interface PlanOptions {
  /** What the client asks of the cache (`Cache-Control` request directives). */
  directives: CacheDirectives;
  /** Aborts when the client has gone. */
  clientGone: AbortSignal;
  /** The cache policy of this client (its experiment variant's, or the service's). */
  policy: TaskPlanPolicy;
  /** Who asks: what it may spend, and whether it may replace a shared plan. */
  caller: Caller;
}

type TierName = 'l1' | 'l2';

interface GenerationOptions {
  stream: boolean;
  /** A background refresh: joining a running generation is not a client's request coalesced. */
  background?: boolean;
  /** The new plan replaces a cached one (announced to the other instances). */
  replacing: boolean;
  /** Kept in the cache, and shared with other requests for the same key; false for `no-store`. */
  store: boolean;
  policy: TaskPlanPolicy;
  /** What the request that starts the generation was admitted with; none for a background refresh. */
  permit?: GenerationPermit;
}

/**
 * Task plans: from the cache when it has a fresh one, else from the planner (one call per key
 * however many clients ask), kept when worth it, and an expired plan when the planner fails.
 */
@Injectable()
export class TaskPlanService {
  readonly #generations = new GenerationRegistry();
  /** Admissions under way, by key: concurrent misses wait for the first instead of each paying. */
  readonly #admitting = new Map<string, Promise<GenerationPermit>>();
  readonly #timeoutMs: number;
  readonly #refreshes: RefreshAhead;
  readonly #scope: AppConfig['cacheScope'];

  constructor(
    @Inject(PLANNER) private readonly planner: Planner,
    private readonly cache: TaskPlanCache,
    private readonly admission: GenerationAdmission,
    private readonly savings: SavingsMetrics,
    config: AppConfig,
  ) {
    this.#timeoutMs = config.planner.timeoutMs;
    this.#refreshes = new RefreshAhead(config.taskPlanCache.refreshConcurrency);
    this.#scope = config.cacheScope;
  }

  async plan(request: PlannerRequest, options: PlanOptions): Promise<PlanAnswer> {
    const identity = planIdentityFor(request, options.caller, this.#scope);
    const { fresh, fallback, source, fallbackSource } = await this.#find(identity, options);
    if (fresh) {
      this.afterHit(identity, request, fresh, options);
      return cachedAnswer(identity, fresh, source, false);
    }
    if (options.directives.onlyIfCached) throw new NotCachedError();

    const shared = await this.#admittedGeneration(identity, request, options, false);
    const leave = shared.generation.join();
    options.clientGone.addEventListener('abort', leave, { once: true });
    try {
      const { text, generationMs, truncated, usage } = await shared.completion;
      return {
        plan: text,
        cached: false,
        stale: false,
        source: 'generator',
        key: identity.key,
        generation_ms: ms(generationMs),
        truncated,
        usage,
        saved: null,
      };
    } catch (error) {
      if (!fallback || !isPlannerFailure(error)) throw error;
      this.cache.recordStaleAnswer(options.policy, fallback);
      return cachedAnswer(identity, fallback, fallbackSource, true);
    } finally {
      leave();
      options.clientGone.removeEventListener('abort', leave);
    }
  }

  /** The same use case as {@link plan}, streamed: a cached plan line by line, a new one as it is made. */
  async streamPlan(request: PlannerRequest, options: PlanOptions, sink: PlanEventSink): Promise<void> {
    const identity = planIdentityFor(request, options.caller, this.#scope);
    const { fresh, fallback, source, fallbackSource } = await this.#find(identity, options);
    if (fresh) {
      this.afterHit(identity, request, fresh, options);
      return replay(identity, fresh, source, false, sink);
    }

    if (options.directives.onlyIfCached) {
      const { code, message } = describeFailure(new NotCachedError());
      return sink.error(code, message);
    }
    const shared = await this.#admittedGeneration(identity, request, options, true);
    sink.step('generating_plan');
    let streamed = 0;
    const leave = shared.generation.join((text) => {
      streamed++;
      sink.chunk(text);
    });
    options.clientGone.addEventListener('abort', leave, { once: true });
    try {
      const { text, generationMs, truncated, usage } = await shared.completion;
      sink.done({
        cached: false,
        stale: false,
        source: 'generator',
        key: identity.key,
        generation_ms: ms(generationMs),
        etag: planEtag(text),
        truncated,
        usage,
        saved: null,
      });
    } catch (error) {
      if (error instanceof GenerationCancelledError) return;
      // A stale plan can stand in only while nothing of the failed one was sent.
      if (fallback && streamed === 0 && isPlannerFailure(error)) {
        this.cache.recordStaleAnswer(options.policy, fallback);
        return replay(identity, fallback, fallbackSource, true, sink);
      }
      const { code, message } = describeFailure(error);
      sink.error(code, message);
    } finally {
      leave();
      options.clientGone.removeEventListener('abort', leave);
    }
  }

  /**
   * After a hit: counts what it saved; when the plan is hot and nearing its expiry, regenerates it in the background
   * (PLAN_CACHE_EARLY_REFRESH), so that its readers never wait for it. Once per key across
   * instances, a bounded number at a time, and not while the planner is failing.
   */
  afterHit(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    entry: TaskPlanEntry,
    { policy, caller }: { policy: TaskPlanPolicy; caller: Caller },
  ): void {
    this.savings.saved(entry.usage, entry.generation_ms, caller.tenant);
    if (!this.cache.isRefreshDue(identity, entry, policy) || !this.#refreshes.tryStart(identity.key)) return;
    void this.#refresh(identity, request, policy).then((outcome) => this.#refreshes.finished(identity.key, outcome));
  }

  async #refresh(identity: TaskPlanIdentity, request: PlannerRequest, policy: TaskPlanPolicy): Promise<RefreshOutcome> {
    const slot = this.admission.backgroundSlot();
    if (!slot) return 'skipped';
    try {
      if (!(await this.cache.claimRefresh(identity, this.#timeoutMs + 1000))) return 'skipped';
      // The hit may come from the fast path, which does not trim the goal as validation does.
      const planned = { ...request, goal: request.goal.trim() };
      const shared = this.#generationFor(identity, planned, {
        stream: false,
        replacing: true,
        store: true,
        policy,
        background: true,
      });
      const leave = shared.generation.join();
      try {
        await shared.completion;
        return 'refreshed';
      } finally {
        leave();
        await this.cache.releaseRefresh(identity);
      }
    } catch {
      return 'failed';
    } finally {
      slot();
    }
  }

  /**
   * The generation a request needs: joined for free when one runs (or is being admitted) for its
   * key, else started once the caller is admitted, which may refuse it: nothing has been sent yet.
   */
  async #admittedGeneration(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    options: PlanOptions,
    stream: boolean,
  ): Promise<SharedGeneration> {
    const settings = { ...generationOptions(options), stream };
    if (settings.store) {
      for (let pending = this.#admitting.get(identity.key); ; pending = this.#admitting.get(identity.key)) {
        if (this.#generations.isRunning(identity.key)) return this.#generationFor(identity, request, settings);
        if (!pending) break;
        // Another request for the key is being admitted: its generation is ours to join, if it starts.
        await pending.catch(() => undefined);
      }
    }
    const admitting = this.admission.admit(options.caller, 'plan');
    if (settings.store) this.#admitting.set(identity.key, admitting);
    try {
      const permit = await admitting;
      return this.#generationFor(identity, request, { ...settings, permit });
    } finally {
      if (this.#admitting.get(identity.key) === admitting) this.#admitting.delete(identity.key);
    }
  }

  /** A fresh plan from this process, else from Redis; and the fallback for a failing planner. */
  async #find(
    identity: TaskPlanIdentity,
    { directives, policy }: PlanOptions,
  ): Promise<TaskPlanLookup & { source: TierName; fallbackSource: TierName }> {
    const bypass = directives.noCache || directives.noStore;
    const maxAgeMs = directives.maxAge === undefined ? undefined : directives.maxAge * 1000;
    const local = this.cache.lookup(identity, policy, { bypass, maxAgeMs });
    // no-store reads nothing: not even an expired plan to stand in for a failing planner.
    if (directives.noStore) return { source: 'l1', fallbackSource: 'l1' };
    if (local.fresh || bypass || !this.cache.shared) return { ...local, source: 'l1', fallbackSource: 'l1' };
    const shared = await this.cache.lookupShared(identity, policy, { maxAgeMs });
    if (shared.fallback) return { ...shared, source: 'l2', fallbackSource: 'l2' };
    return { fresh: shared.fresh, fallback: local.fallback, source: 'l2', fallbackSource: 'l1' };
  }

  /**
   * The generation for `identity`: one per key in this process, and with Redis one across
   * instances (an instance that waited for another receives the plan whole, as line chunks).
   */
  #generationFor(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    { stream, replacing, store, policy, permit, background = false }: GenerationOptions,
  ): SharedGeneration {
    if (!store) return this.#privateGeneration(request, stream, policy, permit);
    const { shared, joined } = this.#generations.joinOrStart(identity.key, () => {
      let outcome: { plan: GeneratedPlan; loadedHere: boolean; stamp: LoadStamp } | undefined;
      const generation = new Generation(async ({ signal, onChunk }) => {
        const stamp = await this.cache.stamp(identity);
        const generate = async (): Promise<GeneratedPlan> => {
          policy.counters.plannerCalls++;
          const started = performance.now();
          const { text, truncated, usage } = await this.planner.plan(request, { signal, onChunk, stream });
          return { text, truncated, usage, generationMs: performance.now() - started };
        };
        const { value, loadedHere } = await this.cache.generateOnce(identity, generate, signal);
        if (!loadedHere) for (const line of linesOf(value.text)) onChunk(line);
        outcome = { plan: value, loadedHere, stamp };
        return { text: value.text, truncated: value.truncated, usage: value.usage };
      }, this.#timeoutMs);
      const completion = generation.result
        .then(async (result: GenerationResult) => {
          if (!outcome) return result;
          if (outcome.loadedHere) {
            await permit?.spent(totalTokens(outcome.plan.usage));
            await this.cache.store(identity, outcome.plan, outcome.stamp, { policy, replacing });
          } else {
            await permit?.refund(); // another instance made the plan: this caller spent nothing
            await this.cache.adopt(identity);
          }
          return { ...result, generationMs: outcome.plan.generationMs };
        })
        .finally(() => permit?.release());
      completion.catch((error: unknown) => {
        if (isPlannerFailure(error)) this.#refreshes.plannerFailed();
      });
      return { generation, completion };
    });
    if (joined && !background) this.cache.recordCoalesced();
    if (joined && permit) {
      // Another request started the same generation meanwhile: this one costs nothing.
      permit.release();
      void permit.refund();
    }
    return shared;
  }

  /** A generation for one client (`no-store`): not shared with other requests, and not kept. */
  #privateGeneration(
    request: PlannerRequest,
    stream: boolean,
    policy: TaskPlanPolicy,
    permit: GenerationPermit | undefined,
  ): SharedGeneration {
    const generation = new Generation(({ signal, onChunk }) => {
      policy.counters.plannerCalls++;
      return this.planner.plan(request, { signal, onChunk, stream });
    }, this.#timeoutMs);
    const completion = generation.result
      .then(async (result) => {
        await permit?.spent(totalTokens(result.usage));
        return result;
      })
      .finally(() => permit?.release());
    return { generation, completion };
  }
}

function replay(
  identity: TaskPlanIdentity,
  entry: TaskPlanEntry,
  source: 'l1' | 'l2',
  stale: boolean,
  sink: PlanEventSink,
): void {
  sink.step('plan_from_cache');
  for (const line of linesOf(entry.plan)) sink.chunk(line);
  sink.done({
    cached: true,
    stale,
    source,
    key: identity.key,
    generation_ms: null,
    etag: planEtag(entry.plan),
    truncated: false,
    usage: null,
    saved: entry.usage ?? null,
  });
}

function isPlannerFailure(error: unknown): boolean {
  return error instanceof PlannerUnavailableError || error instanceof PlannerTimeoutError;
}

function totalTokens(usage: PlanUsage): number {
  return usage.input_tokens + usage.output_tokens;
}

function ms(value: number): number {
  return Math.round(value);
}

/**
 * How a request's directives shape its generation: `no-cache` and `max-age` replace, `no-store`
 * keeps nothing. Replacing a shared plan is for authenticated callers: an anonymous one gets a
 * fresh plan of its own, and every other client keeps the cached one.
 */
function generationOptions({ directives, policy, caller }: PlanOptions): Omit<GenerationOptions, 'stream'> {
  const replacing = directives.noCache || directives.maxAge !== undefined;
  const privileged = caller.kind === 'authenticated';
  return {
    replacing: replacing && privileged,
    store: !directives.noStore && (privileged || !replacing),
    policy,
  };
}
