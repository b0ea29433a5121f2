import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import type { CacheNamespace } from '../cache-namespace.js';
import { TASK_PLAN_CACHE } from '../plan-cache.tokens.js';
import { isTaskPlanEntryFor, TASK_PLAN_ENTRY_VERSION, type TaskPlanEntry } from './task-plan-entry.js';
import type { TaskPlanIdentity } from './task-plan-key.js';

export interface TaskPlanLookup {
  /** A plan within its TTL. */
  fresh?: TaskPlanEntry;
  /** A plan past its TTL but within the grace period: usable only when the planner fails. */
  fallback?: TaskPlanEntry;
}

export type StoreOutcome = 'stored' | 'skipped_fast' | 'empty' | 'refused' | 'not_storing';

/**
 * The `plan` namespace with its policies: freshness and grace, entry checks on read, and which
 * generated plans are worth keeping.
 */
@Injectable()
export class TaskPlanCache {
  readonly #ttlMs: number;
  readonly #graceMs: number;
  readonly #minGenerationMs: number;

  constructor(
    config: AppConfig,
    @Inject(TASK_PLAN_CACHE) private readonly plans: CacheNamespace<TaskPlanEntry>,
  ) {
    this.#ttlMs = config.taskPlanCache.ttlSeconds * 1000;
    this.#graceMs = config.taskPlanCache.graceSeconds * 1000;
    this.#minGenerationMs = config.taskPlanCache.minGenerationSeconds * 1000;
  }

  /**
   * Counts a hit when a fresh plan is there, a miss otherwise. With `bypass` (the client asked for
   * a new plan) a fresh plan is not a hit: it is only offered as the fallback.
   */
  lookup(identity: TaskPlanIdentity, { bypass = false, now = Date.now() } = {}): TaskPlanLookup {
    const value = this.plans.peek(identity.key);
    const entry = isTaskPlanEntryFor(value, identity) ? value : undefined;
    if (!bypass && entry && now < entry.fresh_until) {
      this.plans.stats.l1Hits++;
      return { fresh: entry, fallback: entry };
    }
    this.plans.stats.misses++;
    return entry && now < entry.fresh_until + this.#graceMs ? { fallback: entry } : {};
  }

  /** The stamp of a generation that begins now. */
  stamp(): number {
    return this.plans.stamp();
  }

  /**
   * Keeps a generated plan if it is worth it: non-empty, slow enough to be worth caching
   * (PLAN_CACHE_MIN_GEN_TIME), and not invalidated while it was being generated.
   */
  async store(identity: TaskPlanIdentity, plan: string, generationMs: number, stamp: number): Promise<StoreOutcome> {
    if (!this.plans.storing) return 'not_storing';
    if (plan.trim().length === 0) return 'empty';
    if (generationMs < this.#minGenerationMs) {
      this.plans.stats.skippedFast++;
      return 'skipped_fast';
    }
    const now = Date.now();
    const entry: TaskPlanEntry = {
      v: TASK_PLAN_ENTRY_VERSION,
      goal: identity.goal,
      context_hash: identity.contextHash,
      plan,
      created_at: now,
      fresh_until: now + this.#ttlMs,
      generation_ms: Math.round(generationMs),
    };
    const stored = await this.plans.set(identity.key, entry, stamp, this.#ttlMs + this.#graceMs);
    return stored ? 'stored' : 'refused';
  }

  recordStaleAnswer(): void {
    this.plans.stats.staleHits++;
  }

  recordCoalesced(): void {
    this.plans.stats.coalesced++;
  }

  /** Drops one plan; answers how many entries were dropped (0 or 1). */
  forget(identity: TaskPlanIdentity): Promise<number> {
    return this.plans.invalidate([identity.key]);
  }
}
