import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import type { LoadStamp, CacheMatch, CacheTier, FlightResult } from '../../plan-cache/index.js';
import { GENERATED_PLAN_CODEC, type GeneratedPlan } from './generated-plan.js';
import { PlanDemand } from './plan-demand.js';
import { TaskPlanEntries } from './task-plan-entries.js';
import {
  isTaskPlanEntryFor,
  TASK_PLAN_ENTRY_VERSION,
  type CachedTaskPlan,
  type GoalEmbedding,
  type TaskPlanEntry,
} from './task-plan-entry.js';
import type { TaskPlanIdentity } from './task-plan-key.js';
import type { TaskPlanPolicy } from './task-plan-policy.js';

/** Plans found, with their life as the engine keeps it. */
export interface TaskPlanLookup {
  /** A plan within its TTL. */
  fresh?: CachedTaskPlan;
  /** A plan past its TTL but within the grace period: usable only when the planner fails. */
  fallback?: CachedTaskPlan;
}

export type StoreOutcome = 'stored' | 'skipped_fast' | 'empty' | 'truncated' | 'refused' | 'not_storing';

interface LookupOptions {
  /** The client asked for a new plan: a fresh one is only the fallback. */
  bypass?: boolean;
  /** The request's `max-age`: a plan older than this is not fresh for it. */
  maxAgeMs?: number;
  /** Count no miss: the caller looks further (a near-duplicate goal) and counts it with {@link countMiss}. */
  deferMiss?: boolean;
  /** The asking caller's tenant, whatever the scope: what its hits save is told per tenant. */
  tenant?: string;
  now?: number;
}

/**
 * The task-plan policies on the `plan` namespace: freshness and grace judged from the engine's
 * entry life, narrowed by each request's policy; entry checks on read (in-process and shared),
 * which generated plans are worth keeping, and the namespace's events of hits and misses with
 * their match, scope and policy (counted by their subscribers: the namespace, ScopeCounters,
 * PolicyCounting, the metrics).
 */
@Injectable()
export class TaskPlanCache {
  readonly #hotFrom: number;

  constructor(
    config: AppConfig,
    // Its TTL is the longest any policy may use an entry (PlanExperiments.retentionMs).
    private readonly plans: TaskPlanEntries,
    private readonly demand: PlanDemand,
  ) {
    this.#hotFrom = config.taskPlanCache.earlyRefreshMinHits;
  }

  /**
   * Counts a hit when a plan fresh for `policy` is in this process, a miss otherwise. With `bypass`
   * (the client asked for a new plan) a fresh plan is not a hit: it is only offered as the fallback.
   */
  lookup(identity: TaskPlanIdentity, policy: TaskPlanPolicy, options: LookupOptions = {}): TaskPlanLookup {
    const { bypass = false, maxAgeMs, deferMiss = false, tenant, now = Date.now() } = options;
    this.demand.count(identity.key, now);
    const entry = this.#valid(this.plans.peekEntry(identity.key), identity);
    if (!bypass && entry && policy.isFresh(entry, now, maxAgeMs)) {
      return this.#hit('l1', identity, policy, entry, tenant);
    }
    // With Redis, the shared tier decides between a hit and a miss (see lookupShared).
    if ((bypass || !this.shared) && !deferMiss) this.countMiss(identity, policy);
    return this.#usable(entry, policy, now);
  }

  /**
   * A plan held in this process and fresh for `policy`, counted as a hit; when there is none
   * nothing is counted, since the caller goes on to the full {@link lookup}.
   */
  freshInMemory(
    identity: TaskPlanIdentity,
    policy: TaskPlanPolicy,
    { tenant, now = Date.now() }: Pick<LookupOptions, 'tenant' | 'now'> = {},
  ): CachedTaskPlan | undefined {
    const entry = this.#valid(this.plans.peekEntry(identity.key), identity);
    if (!entry || !policy.isFresh(entry, now)) return undefined;
    this.demand.count(identity.key, now);
    return this.#hit('l1', identity, policy, entry, tenant).fresh;
  }

  /** The same, from the shared tier (Redis) after an in-process miss; counts a shared hit or a miss. */
  async lookupShared(
    identity: TaskPlanIdentity,
    policy: TaskPlanPolicy,
    { maxAgeMs, deferMiss = false, tenant, now = Date.now() }: Omit<LookupOptions, 'bypass'> = {},
  ): Promise<TaskPlanLookup> {
    const entry = this.#valid(await this.plans.readShared(identity.key), identity);
    if (entry && policy.isFresh(entry, now, maxAgeMs)) return this.#hit('l2', identity, policy, entry, tenant);
    if (!deferMiss) this.countMiss(identity, policy);
    return this.#usable(entry, policy, now);
  }

  /**
   * Whether a hit on `entry` should regenerate it in the background: past the policy's share of
   * its TTL, and hot (hit at least PLAN_CACHE_EARLY_REFRESH_MIN_HITS times lately), never cold.
   */
  isRefreshDue(identity: TaskPlanIdentity, entry: CachedTaskPlan, policy: TaskPlanPolicy, now = Date.now()): boolean {
    return policy.isRefreshDue(entry, now) && this.demand.score(identity.key, now) >= this.#hotFrom;
  }

  /** Whether the namespace keeps anything (PLAN_CACHE_ENABLED and some tier). */
  get storing(): boolean {
    return this.plans.storing;
  }

  /** Whether plans are shared with other instances through Redis. */
  get shared(): boolean {
    return this.plans.redisEnabled;
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
    return this.plans.once(identity.key, generate, GENERATED_PLAN_CODEC, signal);
  }

  /**
   * Keeps a generated plan if it is worth it: non-empty, whole (not cut at a length limit), slow
   * enough to be worth caching (PLAN_CACHE_MIN_GEN_TIME), and not invalidated while it was being
   * generated. A plan that replaces a cached one (`Cache-Control: no-cache`) is announced to the
   * other instances.
   */
  async store(
    identity: TaskPlanIdentity,
    plan: GeneratedPlan,
    stamp: LoadStamp,
    {
      policy,
      replacing = false,
      embedding,
      creator,
    }: { policy: TaskPlanPolicy; replacing?: boolean; embedding?: GoalEmbedding; creator?: string },
  ): Promise<StoreOutcome> {
    if (!this.plans.storing) return 'not_storing';
    // Also what keeps an entry small: a streamed plan is a rope of its deltas (`text += delta`, 18 times
    // its text's size for 2 KB in 500 parts) and trim() flattens it in place (docs/decisions.md, "Memory targets").
    if (plan.text.trim().length === 0) return 'empty';
    if (plan.truncated) return 'truncated';
    if (!policy.worthKeeping(plan.generationMs)) {
      const { key, tenant: scope } = identity;
      this.plans.record({
        type: 'refused',
        namespace: this.plans.name,
        key,
        scope,
        variant: policy.variant,
        reason: 'fast',
      });
      return 'skipped_fast';
    }
    const entry: TaskPlanEntry = {
      v: TASK_PLAN_ENTRY_VERSION,
      goal: identity.goal,
      context_hash: identity.contextHash,
      plan: plan.text,
      generation_ms: Math.round(plan.generationMs),
      usage: plan.usage,
      ...(identity.scope !== undefined && { scope: identity.scope }),
      ...(embedding && { embedding }),
      ...(creator !== undefined && { creator }),
    };
    // Its life is the namespace's: kept as long as any policy may use it, fresh for the longest TTL.
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
    return this.plans.claims.claim(identity.key, ms);
  }

  releaseRefresh(identity: TaskPlanIdentity): Promise<void> {
    return this.plans.claims.release(identity.key);
  }

  /** Copies a plan another instance stored in Redis into this process (no counting). */
  async adopt(identity: TaskPlanIdentity): Promise<void> {
    await this.plans.readShared(identity.key);
  }

  /** An expired plan answered because the planner failed (its request was counted as a miss). */
  recordStaleAnswer(identity: TaskPlanIdentity, policy: TaskPlanPolicy, entry: CachedTaskPlan): void {
    const { key, tenant: scope } = identity;
    this.plans.record({ type: 'stale', namespace: this.plans.name, key, scope, variant: policy.variant, entry });
  }

  /** A request that joined the generation of its plan already running. */
  recordCoalesced(identity: TaskPlanIdentity): void {
    this.plans.record({ type: 'coalesced', namespace: this.plans.name, key: identity.key, scope: identity.tenant });
  }

  /** Drops one plan everywhere; answers how many entries this process dropped (0 or 1). */
  forget(identity: TaskPlanIdentity): Promise<number> {
    return this.plans.invalidate([identity.key]);
  }

  /** Pulls the most requested plans of the shared tier into this process. */
  warm(limit: number): Promise<number> {
    return this.plans.warmFromShared(limit);
  }

  #hit(
    tier: CacheTier,
    identity: TaskPlanIdentity,
    policy: TaskPlanPolicy,
    entry: CachedTaskPlan,
    tenant: string | undefined,
    match: CacheMatch = 'exact',
  ): TaskPlanLookup {
    this.plans.record({
      type: 'hit',
      namespace: this.plans.name,
      key: identity.key,
      tier,
      match,
      scope: identity.tenant,
      variant: policy.variant,
      tenant,
      entry,
    });
    return { fresh: entry, fallback: entry };
  }

  /**
   * The plan of a near-duplicate goal served for `identity`: a hit of the tier it came from, for
   * the asking scope, policy and tenant.
   */
  recordSimilarHit(
    identity: TaskPlanIdentity,
    policy: TaskPlanPolicy,
    { entry, tier }: { entry: CachedTaskPlan; tier: CacheTier },
    tenant: string | undefined,
  ): void {
    this.#hit(tier, identity, policy, entry, tenant, 'semantic');
  }

  countMiss(identity: TaskPlanIdentity, policy: TaskPlanPolicy): void {
    const { key, tenant: scope } = identity;
    this.plans.record({ type: 'miss', namespace: this.plans.name, key, scope, variant: policy.variant });
  }

  #valid(entry: CachedTaskPlan | undefined, identity: TaskPlanIdentity): CachedTaskPlan | undefined {
    return entry && isTaskPlanEntryFor(entry.value, identity) ? entry : undefined;
  }

  #usable(entry: CachedTaskPlan | undefined, policy: TaskPlanPolicy, now: number): TaskPlanLookup {
    return entry && policy.isUsable(entry, now) ? { fallback: entry } : {};
  }
}
