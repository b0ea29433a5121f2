import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import type { CacheNamespace, LoadStamp } from '../../plan-cache/cache/cache-namespace.js';
import { TASK_PLAN_CACHE } from '../../plan-cache/plan-cache.tokens.js';
import type { FlightResult } from '../../plan-cache/locks/distributed-flight.js';
import type { ValueCodec } from '../../plan-cache/cache/value-codec.js';
import { COUNTED_KEYS, HIT_HALF_LIFE_MS } from '../../plan-cache/demand.js';
import { DecayingCounts } from './decaying-counts.js';
import {
  isPlanUsage,
  isTaskPlanEntryFor,
  TASK_PLAN_ENTRY_VERSION,
  type PlanUsage,
  type TaskPlanEntry,
} from './task-plan-entry.js';
import type { TaskPlanIdentity } from './task-plan-key.js';
import { ScopeCounters } from './scope-counters.js';
import type { TaskPlanPolicy } from './task-plan-policy.js';

export interface TaskPlanLookup {
  /** A plan within its TTL. */
  fresh?: TaskPlanEntry;
  /** A plan past its TTL but within the grace period: usable only when the planner fails. */
  fallback?: TaskPlanEntry;
}

export type StoreOutcome = 'stored' | 'skipped_fast' | 'empty' | 'truncated' | 'refused' | 'not_storing';

/** A plan made by one instance and handed to the others waiting for the same key. */
export interface GeneratedPlan {
  text: string;
  generationMs: number;
  /** Cut at the planner's length limit: answered, never cached. */
  truncated: boolean;
  usage: PlanUsage;
}

const NO_USAGE: PlanUsage = { input_tokens: 0, output_tokens: 0, estimated: true };

const GENERATED_PLAN: ValueCodec<GeneratedPlan> = {
  encode: (plan) => plan,
  decode: (json) => {
    const plan = json as Partial<GeneratedPlan> | null;
    return typeof plan?.text === 'string' && typeof plan.generationMs === 'number'
      ? {
          text: plan.text,
          generationMs: plan.generationMs,
          truncated: plan.truncated === true,
          usage: isPlanUsage(plan.usage) ? plan.usage : NO_USAGE,
        }
      : undefined;
  },
};

const DEMAND_FLUSH_MS = 5_000;

/**
 * The `plan` namespace with its policies: freshness and grace, entry checks on read (in-process
 * and shared), which generated plans are worth keeping, and which plans are the most requested.
 */
@Injectable()
export class TaskPlanCache implements OnModuleDestroy {
  readonly #hits = new DecayingCounts(HIT_HALF_LIFE_MS, COUNTED_KEYS);
  /** Hits since the last flush to Redis, where every instance's add up. */
  readonly #demand = new Map<string, number>();
  readonly #flushDemand: NodeJS.Timeout;
  readonly #hotFrom: number;

  constructor(
    config: AppConfig,
    // Its TTL is the longest any policy may use an entry (PlanExperiments.retentionMs).
    @Inject(TASK_PLAN_CACHE) private readonly plans: CacheNamespace<TaskPlanEntry>,
    private readonly scopes: ScopeCounters,
  ) {
    this.#hotFrom = config.taskPlanCache.earlyRefreshMinHits;
    this.#flushDemand = setInterval(() => void this.flushDemand(), DEMAND_FLUSH_MS);
    this.#flushDemand.unref();
  }

  /**
   * Counts a hit when a plan fresh for `policy` is in this process, a miss otherwise. With `bypass`
   * (the client asked for a new plan) a fresh plan is not a hit: it is only offered as the fallback.
   */
  lookup(
    identity: TaskPlanIdentity,
    policy: TaskPlanPolicy,
    { bypass = false, maxAgeMs, now = Date.now() }: { bypass?: boolean; maxAgeMs?: number; now?: number } = {},
  ): TaskPlanLookup {
    this.#countDemand(identity.key, now);
    const entry = this.#valid(this.plans.peek(identity.key), identity);
    if (!bypass && entry && policy.isFresh(entry, now, maxAgeMs)) {
      this.plans.stats.l1Hits++;
      this.#countHit(identity, policy, entry, now);
      return { fresh: entry, fallback: entry };
    }
    // With Redis, the shared tier decides between a hit and a miss (see lookupShared).
    if (bypass || !this.shared) this.#countMiss(identity, policy);
    return this.#usable(entry, policy, now);
  }

  /**
   * A plan held in this process and fresh for `policy`, counted as a hit; when there is none
   * nothing is counted, since the caller goes on to the full {@link lookup}.
   */
  freshInMemory(identity: TaskPlanIdentity, policy: TaskPlanPolicy, now = Date.now()): TaskPlanEntry | undefined {
    const entry = this.#valid(this.plans.peek(identity.key), identity);
    if (!entry || !policy.isFresh(entry, now)) return undefined;
    this.#countDemand(identity.key, now);
    this.plans.stats.l1Hits++;
    this.#countHit(identity, policy, entry, now);
    return entry;
  }

  /**
   * Whether a hit on `entry` should regenerate it in the background: past the policy's share of
   * its TTL, and hot (hit at least PLAN_CACHE_EARLY_REFRESH_MIN_HITS times lately), never cold.
   */
  isRefreshDue(identity: TaskPlanIdentity, entry: TaskPlanEntry, policy: TaskPlanPolicy, now = Date.now()): boolean {
    return policy.isRefreshDue(entry, now) && this.#hits.score(identity.key, now) >= this.#hotFrom;
  }

  /** Whether plans are shared with other instances through Redis. */
  get shared(): boolean {
    return this.plans.redisEnabled;
  }

  /** The same, from the shared tier (Redis) after an in-process miss; counts a shared hit or a miss. */
  async lookupShared(
    identity: TaskPlanIdentity,
    policy: TaskPlanPolicy,
    { maxAgeMs, now = Date.now() }: { maxAgeMs?: number; now?: number } = {},
  ): Promise<TaskPlanLookup> {
    const entry = this.#valid(await this.plans.readShared(identity.key), identity);
    if (entry && policy.isFresh(entry, now, maxAgeMs)) {
      this.plans.stats.l2Hits++;
      this.#countHit(identity, policy, entry, now);
      return { fresh: entry, fallback: entry };
    }
    this.#countMiss(identity, policy);
    return this.#usable(entry, policy, now);
  }

  /** The stamp of a generation that begins now. */
  stamp(identity: TaskPlanIdentity): Promise<LoadStamp> {
    return this.plans.stamp(identity.key);
  }

  /** Runs a generation once across instances; the others take its plan. */
  generateOnce(
    identity: TaskPlanIdentity,
    generate: () => Promise<GeneratedPlan>,
    signal: AbortSignal,
  ): Promise<FlightResult<GeneratedPlan>> {
    return this.plans.once(identity.key, generate, GENERATED_PLAN, signal);
  }

  /**
   * Keeps a generated plan if it is worth it: non-empty, whole (not cut at a length limit), slow enough to be worth caching
   * (PLAN_CACHE_MIN_GEN_TIME), and not invalidated while it was being generated. A plan that
   * replaces a cached one (`Cache-Control: no-cache`) is announced to the other instances.
   */
  async store(
    identity: TaskPlanIdentity,
    plan: GeneratedPlan,
    stamp: LoadStamp,
    { policy, replacing = false }: { policy: TaskPlanPolicy; replacing?: boolean },
  ): Promise<StoreOutcome> {
    if (!this.plans.storing) return 'not_storing';
    if (plan.text.trim().length === 0) return 'empty';
    if (plan.truncated) return 'truncated';
    if (!policy.worthKeeping(plan.generationMs)) {
      this.plans.stats.skippedFast++;
      return 'skipped_fast';
    }
    const now = Date.now();
    const entry: TaskPlanEntry = {
      v: TASK_PLAN_ENTRY_VERSION,
      goal: identity.goal,
      context_hash: identity.contextHash,
      plan: plan.text,
      created_at: now,
      // Freshness is judged by each reader's policy from created_at; this is the writer's view.
      fresh_until: now + policy.settings.ttlMs,
      generation_ms: Math.round(plan.generationMs),
      usage: plan.usage,
      ...(identity.scope !== undefined && { scope: identity.scope }),
    };
    const outcome = await this.plans.set(identity.key, entry, stamp);
    if (outcome === 'refused' || outcome === 'not_storing') return outcome;
    if (replacing) await this.plans.announceReplaced(identity.key, outcome);
    return 'stored';
  }

  /**
   * Claims the background refresh of a plan across instances for up to `ms` (a generation's
   * deadline); the answer says whether this instance should do it.
   */
  claimRefresh(identity: TaskPlanIdentity, ms: number): Promise<boolean> {
    return this.plans.claimRefresh(identity.key, ms);
  }

  releaseRefresh(identity: TaskPlanIdentity): Promise<void> {
    return this.plans.releaseRefresh(identity.key);
  }

  /** Copies a plan another instance stored in Redis into this process (no counting). */
  async adopt(identity: TaskPlanIdentity): Promise<void> {
    await this.plans.readShared(identity.key);
  }

  recordStaleAnswer(policy: TaskPlanPolicy, entry: TaskPlanEntry, now = Date.now()): void {
    this.plans.stats.staleHits++;
    policy.counters.stale++;
    policy.counters.servedAgeMsSum += now - entry.created_at;
  }

  recordCoalesced(): void {
    this.plans.stats.coalesced++;
  }

  /** Drops one plan everywhere; answers how many entries this process dropped (0 or 1). */
  forget(identity: TaskPlanIdentity): Promise<number> {
    return this.plans.invalidate([identity.key]);
  }

  /** Pulls the most requested plans of the shared tier into this process. */
  warm(limit: number): Promise<number> {
    return this.plans.warmFromShared(limit);
  }

  async flushDemand(): Promise<void> {
    if (this.#demand.size === 0) return;
    const counts = new Map(this.#demand);
    this.#demand.clear();
    await this.plans.recordDemand(counts);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.#flushDemand);
    await this.flushDemand();
  }

  #countDemand(key: string, now: number): void {
    this.#hits.add(key, now);
    this.#demand.set(key, (this.#demand.get(key) ?? 0) + 1);
  }

  #countHit(identity: TaskPlanIdentity, policy: TaskPlanPolicy, entry: TaskPlanEntry, now: number): void {
    this.scopes.of(identity.tenant).countHit(entry);
    policy.counters.countHit(entry);
    policy.counters.servedAgeMsSum += now - entry.created_at;
  }

  #countMiss(identity: TaskPlanIdentity, policy: TaskPlanPolicy): void {
    this.scopes.of(identity.tenant).misses++;
    this.plans.stats.misses++;
    policy.counters.misses++;
  }

  #valid(value: unknown, identity: TaskPlanIdentity): TaskPlanEntry | undefined {
    return isTaskPlanEntryFor(value, identity) ? value : undefined;
  }

  #usable(entry: TaskPlanEntry | undefined, policy: TaskPlanPolicy, now: number): TaskPlanLookup {
    return entry && policy.isUsable(entry, now) ? { fallback: entry } : {};
  }
}
