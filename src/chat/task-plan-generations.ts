import { trace } from '@opentelemetry/api';
import { Inject, Injectable } from '@nestjs/common';
import { GenerationAdmission, type GenerationPermit } from '../callers/generation-admission.js';
import { AppConfig } from '../config/app-config.js';
import type { LoadStamp } from '../plan-cache/cache/stale-set-guard.js';
import { Generation, type GenerationResult } from './generation/generation.js';
import { GenerationRegistry, type SharedGeneration } from './generation/generation-registry.js';
import { UnknownUsage } from './generation/unknown-usage.js';
import { linesOf } from './plan-events.js';
import type { PlanRequestContext } from './plan-request-context.js';
import { PLANNER, type Planner, type PlannerRequest } from './planner/planner.js';
import { isPlannerFailure } from './planner/planner.errors.js';
import type { GeneratedPlan } from './task-plan-cache/generated-plan.js';
import { CallerTags } from './task-plan-cache/caller-tag.js';
import { RefreshAhead } from './task-plan-cache/refresh-ahead.js';
import { TaskPlanCache } from './task-plan-cache/task-plan-cache.js';
import type { PlanUsage } from './task-plan-cache/task-plan-entry.js';
import type { TaskPlanIdentity } from './task-plan-cache/task-plan-key.js';
import type { TaskPlanPolicy } from './task-plan-cache/task-plan-policy.js';
import { GoalEmbeddings } from './semantic/goal-embeddings.js';

export interface GenerationOptions {
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
  /** Who asked for the plan (the entry's creator), as a caller tag. */
  creator?: string;
}

/**
 * Planner calls for task plans: one per key in this process, and with Redis one across instances;
 * admitted against the caller's limits before they start, and stored when they are worth it.
 */
@Injectable()
export class TaskPlanGenerations {
  readonly #generations = new GenerationRegistry();
  /** Admissions under way, by key: concurrent misses wait for the first instead of each paying. */
  readonly #admitting = new Map<string, Promise<GenerationPermit>>();
  readonly #timeoutMs: number;

  constructor(
    @Inject(PLANNER) private readonly planner: Planner,
    private readonly cache: TaskPlanCache,
    private readonly admission: GenerationAdmission,
    private readonly refreshes: RefreshAhead,
    private readonly goalEmbeddings: GoalEmbeddings,
    private readonly callerTags: CallerTags,
    config: AppConfig,
  ) {
    this.#timeoutMs = config.planner.timeoutMs;
  }

  /**
   * The generation a request needs: joined for free when one runs (or is being admitted) for its
   * key, else started once the caller is admitted, which may refuse it: nothing has been sent yet.
   */
  async admitted(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    context: PlanRequestContext,
    stream: boolean,
  ): Promise<SharedGeneration> {
    const settings = { ...generationOptions(context, this.callerTags.of(context.caller)), stream };
    if (settings.store) {
      for (let pending = this.#admitting.get(identity.key); ; pending = this.#admitting.get(identity.key)) {
        if (this.#generations.isRunning(identity.key)) return this.forKey(identity, request, settings);
        if (!pending) break;
        // Another request for the key is being admitted: its generation is ours to join, if it starts.
        await pending.catch(() => undefined);
      }
    }
    const admitting = this.admission.admit(context.caller, 'plan', this.promptTokens(request));
    if (settings.store) this.#admitting.set(identity.key, admitting);
    try {
      const permit = await admitting;
      return this.forKey(identity, request, { ...settings, permit });
    } finally {
      if (this.#admitting.get(identity.key) === admitting) this.#admitting.delete(identity.key);
    }
  }

  /** The estimated prompt of a plan's planner call: what a tenant reserves first. */
  promptTokens(request: PlannerRequest): number {
    return this.planner.promptTokens(request, 'plan');
  }

  /**
   * The generation for `identity`: one per key in this process, and with Redis one across
   * instances (an instance that waited for another receives the plan whole, as line chunks).
   */
  forKey(identity: TaskPlanIdentity, request: PlannerRequest, options: GenerationOptions): SharedGeneration {
    const { store, background = false, permit } = options;
    if (!store) return this.#private(request, options);
    const { shared, joined } = this.#generations.joinOrStart(identity.key, () =>
      this.#shared(identity, request, options),
    );
    if (joined && !background) {
      this.cache.recordCoalesced(identity);
      trace.getActiveSpan()?.setAttribute('plan_cache.coalesced', true);
    }
    if (joined && permit) {
      // Another request started the same generation meanwhile: this one costs nothing.
      permit.release();
      void permit.refund();
    }
    return shared;
  }

  #shared(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    { stream, replacing, policy, permit, creator }: GenerationOptions,
  ): SharedGeneration {
    let outcome: { plan: GeneratedPlan; loadedHere: boolean; stamp: LoadStamp } | undefined;
    const unknownUsage = new UnknownUsage();
    const generation = new Generation(async ({ signal, onChunk }) => {
      const stamp = await this.cache.stamp(identity);
      const generate = async (): Promise<GeneratedPlan> => {
        policy.counters.plannerCalls++;
        const started = performance.now();
        const { text, truncated, usage } = await this.planner.plan(request, {
          signal,
          onChunk: unknownUsage.sending(onChunk),
          stream,
          maxTokens: permit?.maxTokens,
        });
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
          await permit?.settle(totalTokens(outcome.plan.usage));
          const embedding = await this.goalEmbeddings.of(identity.goal);
          await this.cache.store(identity, outcome.plan, outcome.stamp, { policy, replacing, embedding, creator });
        } else {
          await permit?.refund(); // another instance made the plan: this caller spent nothing
          await this.cache.adopt(identity);
        }
        return { ...result, generationMs: outcome.plan.generationMs };
      }, unknownUsage.settleFailed(permit))
      .finally(() => permit?.release());
    completion.catch((error: unknown) => {
      if (isPlannerFailure(error)) this.refreshes.plannerFailed();
    });
    return { generation, completion };
  }

  /** A generation for one client (`no-store`): not shared with other requests, and not kept. */
  #private(request: PlannerRequest, { stream, policy, permit }: GenerationOptions): SharedGeneration {
    const unknownUsage = new UnknownUsage();
    const generation = new Generation(({ signal, onChunk }) => {
      policy.counters.plannerCalls++;
      return this.planner.plan(request, {
        signal,
        onChunk: unknownUsage.sending(onChunk),
        stream,
        maxTokens: permit?.maxTokens,
      });
    }, this.#timeoutMs);
    const completion = generation.result
      .then(async (result) => {
        await permit?.settle(totalTokens(result.usage));
        return result;
      }, unknownUsage.settleFailed(permit))
      .finally(() => permit?.release());
    return { generation, completion };
  }
}

function totalTokens(usage: PlanUsage): number {
  return usage.input_tokens + usage.output_tokens;
}

/**
 * How a request's directives shape its generation: `no-cache` and `max-age` replace, `no-store`
 * keeps nothing. Replacing a shared plan is for authenticated callers: an anonymous one gets a
 * fresh plan of its own, and every other client keeps the cached one.
 */
function generationOptions(
  { directives, policy, caller }: PlanRequestContext,
  creator: string,
): Omit<GenerationOptions, 'stream'> {
  const replacing = directives.noCache || directives.maxAge !== undefined;
  const privileged = caller.kind === 'authenticated';
  return {
    replacing: replacing && privileged,
    store: !directives.noStore && (privileged || !replacing),
    policy,
    creator,
  };
}
