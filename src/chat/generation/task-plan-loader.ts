import { trace } from '@opentelemetry/api';
import { Inject, Injectable } from '@nestjs/common';
import type { GenerationPermit } from '../../callers/index.js';
import { GenerationAdmission } from '../../callers/index.js';
import { AppConfig } from '../../config/index.js';
import type { LoadStamp } from '../../plan-cache/index.js';
import { SharedLoads } from '../../plan-cache/index.js';
import type { PlanRequestContext } from '../requests/plan-request-context.js';
import { PLANNER, type Planner, type PlannerAnswer, type PlannerRequest } from '../planner/planner.js';
import { isPlannerFailure } from '../planner/planner.errors.js';
import { GoalEmbeddings } from '../semantic/goal-embeddings.js';
import { linesOf } from '../streams/plan-replay.js';
import { CallerTags } from '../task-plan-cache/caller-tag.js';
import type { GeneratedPlan } from '../task-plan-cache/generated-plan.js';
import { RefreshAhead } from '../task-plan-cache/refresh-ahead.js';
import { TaskPlanCache } from '../task-plan-cache/task-plan-cache.js';
import type { PlanUsage } from '../task-plan-cache/task-plan-entry.js';
import type { TaskPlanIdentity } from '../task-plan-cache/task-plan-key.js';
import type { TaskPlanPolicy } from '../task-plan-cache/task-plan-policy.js';
import { Generation, type GenerationResult, type SharedGeneration } from './generation.js';
import { UnknownUsage } from './unknown-usage.js';

export interface GenerationOptions {
  stream: boolean;
  /** The new plan replaces a cached one (announced to the other instances). */
  replacing: boolean;
  /** Kept in the cache, and shared with other requests for the same key; false for `no-store`. */
  store: boolean;
  policy: TaskPlanPolicy;
  /** Who asked for the plan (the entry's creator), as a caller tag. */
  creator?: string;
}

/** Where a miss's planner call comes from: a client's request, or the service's own background work. */
type Admit = () => Promise<GenerationPermit>;

/**
 * The one owner of a task plan's miss, in this order: admit (the caller's budget and a planner
 * slot) → stamp (the versions the plan will be stored under) → flight (one planner call per key
 * in this process, and with Redis one across instances) → generate (streamed to every client that
 * joined) → store (when worth keeping). Concurrent misses of a key join the first one's flight,
 * even while it is being admitted, and pay nothing.
 */
@Injectable()
export class TaskPlanLoader {
  readonly #flights = new SharedLoads<SharedGeneration>({
    joinable: ({ generation }) => !generation.abandoned,
    settled: ({ completion }) => completion,
  });
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
   * The generation a client's miss needs: joined for free when one runs (or is being admitted)
   * for its key, else started once the caller is admitted, which may refuse it: nothing has been
   * sent yet.
   */
  async load(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    context: PlanRequestContext,
    stream: boolean,
  ): Promise<SharedGeneration> {
    const options = { ...generationOptions(context, this.callerTags.of(context.caller)), stream };
    const admit = () => this.admission.admit(context.caller, 'plan', this.promptTokens(request));
    const { shared, joined } = await this.#run(identity, request, options, admit);
    if (joined) {
      this.cache.recordCoalesced(identity);
      trace.getActiveSpan()?.setAttribute('plan_cache.coalesced', true);
    }
    return shared;
  }

  /**
   * A generation the service starts for itself (see BackgroundRegeneration), holding `permit`:
   * when one already runs for the key it joins it, and the permit goes back unused. Undefined, and
   * nothing held, while a client's request for the key is being admitted: that client may be
   * queued for the very planner slot the permit holds, and its generation does the same work.
   */
  async loadInBackground(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    options: Omit<GenerationOptions, 'stream'>,
    permit: GenerationPermit,
  ): Promise<SharedGeneration | undefined> {
    const settings = { ...options, stream: false };
    if (!settings.store) return this.#private(request, settings, permit);
    const found = await this.#flights.joinUnlessAdmitting(identity.key, () =>
      Promise.resolve(this.#shared(identity, request, settings, permit)),
    );
    if (!found?.joined) return found?.load;
    permit.release();
    await permit.refund();
    return found.load;
  }

  /** The estimated prompt of a plan's planner call: what a tenant reserves first. */
  promptTokens(request: PlannerRequest): number {
    return this.planner.promptTokens(request, 'plan');
  }

  async #run(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    options: GenerationOptions,
    admit: Admit,
  ): Promise<{ shared: SharedGeneration; joined: boolean }> {
    if (!options.store) return { shared: this.#private(request, options, await admit()), joined: false };
    const { load, joined } = await this.#flights.join(identity.key, async () =>
      this.#shared(identity, request, options, await admit()),
    );
    return { shared: load, joined };
  }

  /** Stamp → flight → generate → store, for every request of the key. */
  #shared(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    { stream, replacing, policy, creator }: GenerationOptions,
    permit: GenerationPermit,
  ): SharedGeneration {
    let outcome: { plan: GeneratedPlan; loadedHere: boolean; stamp: LoadStamp } | undefined;
    const unknownUsage = new UnknownUsage();
    const generation = new Generation(async ({ signal, onChunk }) => {
      const stamp = await this.cache.stamp(identity);
      const generate = async (): Promise<GeneratedPlan> => {
        const started = performance.now();
        const call = { signal, onChunk, stream, policy, permit, unknownUsage };
        const { text, truncated, usage } = await this.#callPlanner(request, call);
        return { text, truncated, usage, generationMs: performance.now() - started };
      };
      const { value, loadedHere } = await this.cache.generateOnce(identity, generate, signal);
      // Another instance made it: its clients here receive it whole, line by line.
      if (!loadedHere) for (const line of linesOf(value.text)) onChunk(line);
      outcome = { plan: value, loadedHere, stamp };
      return { text: value.text, truncated: value.truncated, usage: value.usage };
    }, this.#timeoutMs);
    const completion = generation.result
      .then(async (result: GenerationResult) => {
        if (!outcome) return result;
        if (outcome.loadedHere) {
          await permit.settle(totalTokens(outcome.plan.usage));
          const embedding = await this.goalEmbeddings.of(identity.goal);
          await this.cache.store(identity, outcome.plan, outcome.stamp, { policy, replacing, embedding, creator });
        } else {
          await permit.refund(); // another instance made the plan: this caller spent nothing
          await this.cache.adopt(identity);
        }
        return { ...result, generationMs: outcome.plan.generationMs };
      }, unknownUsage.settleFailed(permit))
      .finally(() => permit.release());
    completion.catch((error: unknown) => {
      if (isPlannerFailure(error)) this.refreshes.plannerFailed();
    });
    return { generation, completion };
  }

  /** One planner call, counted for its policy, within the tokens its permit reserved. */
  #callPlanner(
    request: PlannerRequest,
    { signal, onChunk, stream, policy, permit, unknownUsage }: PlannerCall,
  ): Promise<PlannerAnswer> {
    policy.counters.plannerCalls++;
    return this.planner.plan(request, {
      signal,
      onChunk: unknownUsage.sending(onChunk),
      stream,
      maxTokens: permit.maxTokens,
    });
  }

  /** A generation for one client (`no-store`, a verification): not shared with other requests, and not kept. */
  #private(request: PlannerRequest, { stream, policy }: GenerationOptions, permit: GenerationPermit): SharedGeneration {
    const unknownUsage = new UnknownUsage();
    const generation = new Generation(
      ({ signal, onChunk }) => this.#callPlanner(request, { signal, onChunk, stream, policy, permit, unknownUsage }),
      this.#timeoutMs,
    );
    const completion = generation.result
      .then(async (result) => {
        await permit.settle(totalTokens(result.usage));
        return result;
      }, unknownUsage.settleFailed(permit))
      .finally(() => permit.release());
    return { generation, completion };
  }
}

/** What one planner call runs with. */
interface PlannerCall {
  signal: AbortSignal;
  onChunk: (text: string) => void;
  stream: boolean;
  policy: TaskPlanPolicy;
  permit: GenerationPermit;
  unknownUsage: UnknownUsage;
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
  const replacing = directives.noCache || directives.maxAgeMs !== undefined;
  const privileged = caller.kind === 'authenticated';
  return {
    replacing: replacing && privileged,
    store: !directives.noStore && (privileged || !replacing),
    policy,
    creator,
  };
}
