import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { TaskPlanEntry } from '../plan-cache/task-plans/task-plan-entry.js';
import type { LoadStamp } from '../plan-cache/cache-namespace.js';
import { TaskPlanCache, type GeneratedPlan, type TaskPlanLookup } from '../plan-cache/task-plans/task-plan-cache.js';
import { TaskPlanKey, type TaskPlanIdentity } from '../plan-cache/task-plans/task-plan-key.js';
import { Generation, type GenerationResult } from './generation/generation.js';
import { GenerationRegistry, type SharedGeneration } from './generation/generation-registry.js';
import { cachedAnswer, linesOf, type PlanAnswer, type PlanEventSink } from './plan-events.js';
import { PLANNER, type Planner, type PlannerRequest } from './planner/planner.js';
import {
  describeFailure,
  GenerationCancelledError,
  PlannerTimeoutError,
  PlannerUnavailableError,
} from './planner/planner.errors.js';

export interface PlanOptions {
  /** The client asked for a new plan (`Cache-Control: no-cache`): regenerate and replace. */
  regenerate: boolean;
  /** Aborts when the client has gone. */
  clientGone: AbortSignal;
}

/**
 * Task plans: from the cache when it has a fresh one, else from the planner (one call per key
 * however many clients ask), kept when worth it, and an expired plan when the planner fails.
 */
@Injectable()
export class TaskPlanService {
  readonly #generations = new GenerationRegistry();
  readonly #timeoutMs: number;

  constructor(
    @Inject(PLANNER) private readonly planner: Planner,
    private readonly cache: TaskPlanCache,
    config: AppConfig,
  ) {
    this.#timeoutMs = config.planner.timeoutMs;
  }

  async plan(request: PlannerRequest, options: PlanOptions): Promise<PlanAnswer> {
    const identity = TaskPlanKey.identify(request.goal, request.projectContext);
    const { fresh, fallback, source } = await this.#find(identity, options.regenerate);
    if (fresh) return cachedAnswer(identity, fresh, source, false);

    const shared = this.#generationFor(identity, request, { stream: false, regenerate: options.regenerate });
    const leave = shared.generation.join();
    options.clientGone.addEventListener('abort', leave, { once: true });
    try {
      const { text, generationMs } = await shared.completion;
      return {
        plan: text,
        cached: false,
        stale: false,
        source: 'generator',
        key: identity.key,
        generation_ms: ms(generationMs),
      };
    } catch (error) {
      if (!fallback || !isPlannerFailure(error)) throw error;
      this.cache.recordStaleAnswer();
      return cachedAnswer(identity, fallback, 'l1', true);
    } finally {
      leave();
      options.clientGone.removeEventListener('abort', leave);
    }
  }

  /** The same use case as {@link plan}, streamed: a cached plan line by line, a new one as it is made. */
  async streamPlan(request: PlannerRequest, options: PlanOptions, sink: PlanEventSink): Promise<void> {
    const identity = TaskPlanKey.identify(request.goal, request.projectContext);
    const { fresh, fallback, source } = await this.#find(identity, options.regenerate);
    if (fresh) return replay(identity, fresh, source, false, sink);

    sink.step('generating_plan');
    const shared = this.#generationFor(identity, request, { stream: true, regenerate: options.regenerate });
    let streamed = 0;
    const leave = shared.generation.join((text) => {
      streamed++;
      sink.chunk(text);
    });
    options.clientGone.addEventListener('abort', leave, { once: true });
    try {
      const { generationMs } = await shared.completion;
      sink.done({
        cached: false,
        stale: false,
        source: 'generator',
        key: identity.key,
        generation_ms: ms(generationMs),
      });
    } catch (error) {
      if (error instanceof GenerationCancelledError) return;
      // A stale plan can stand in only while nothing of the failed one was sent.
      if (fallback && streamed === 0 && isPlannerFailure(error)) {
        this.cache.recordStaleAnswer();
        return replay(identity, fallback, 'l1', true, sink);
      }
      const { code, message } = describeFailure(error);
      sink.error(code, message);
    } finally {
      leave();
      options.clientGone.removeEventListener('abort', leave);
    }
  }

  /** A fresh plan from this process, else from Redis; and the fallback for a failing planner. */
  async #find(identity: TaskPlanIdentity, regenerate: boolean): Promise<TaskPlanLookup & { source: 'l1' | 'l2' }> {
    const local = this.cache.lookup(identity, { bypass: regenerate });
    if (local.fresh || regenerate || !this.cache.shared) return { ...local, source: 'l1' };
    const shared = await this.cache.lookupShared(identity);
    return { fresh: shared.fresh, fallback: shared.fallback ?? local.fallback, source: 'l2' };
  }

  /**
   * The generation for `identity`: one per key in this process, and with Redis one across
   * instances (an instance that waited for another receives the plan whole, as line chunks).
   */
  #generationFor(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    { stream, regenerate }: { stream: boolean; regenerate: boolean },
  ): SharedGeneration {
    const { shared, joined } = this.#generations.joinOrStart(identity.key, () => {
      let outcome: { plan: GeneratedPlan; loadedHere: boolean; stamp: LoadStamp } | undefined;
      const generation = new Generation(async ({ signal, onChunk }) => {
        const stamp = await this.cache.stamp(identity);
        const generate = async (): Promise<GeneratedPlan> => {
          const started = performance.now();
          const text = await this.planner.plan(request, { signal, onChunk, stream });
          return { text, generationMs: performance.now() - started };
        };
        const { value, loadedHere } = await this.cache.generateOnce(identity, generate, signal);
        if (!loadedHere) for (const line of linesOf(value.text)) onChunk(line);
        outcome = { plan: value, loadedHere, stamp };
        return value.text;
      }, this.#timeoutMs);
      const completion = generation.result.then(async (result: GenerationResult) => {
        if (!outcome) return result;
        if (outcome.loadedHere)
          await this.cache.store(identity, outcome.plan, outcome.stamp, { replacing: regenerate });
        else await this.cache.adopt(identity);
        return { text: result.text, generationMs: outcome.plan.generationMs };
      });
      completion.catch(() => undefined);
      return { generation, completion };
    });
    if (joined) this.cache.recordCoalesced();
    return shared;
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
  sink.done({ cached: true, stale, source, key: identity.key, generation_ms: null });
}

function isPlannerFailure(error: unknown): boolean {
  return error instanceof PlannerUnavailableError || error instanceof PlannerTimeoutError;
}

function ms(value: number): number {
  return Math.round(value);
}
