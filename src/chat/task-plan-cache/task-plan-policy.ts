import { entryAge, isFreshFor, isUsableFor, type EntryTimes } from '../../plan-cache/index.js';
import { HitTally } from './hit-tally.js';
import type { CachedTaskPlan } from './task-plan-entry.js';

/** What one policy's requests did. */
export class PolicyCounters extends HitTally {
  requests = 0;
  /** Misses answered with an expired plan because the planner failed. */
  stale = 0;
  plannerCalls = 0;
  latencyMsSum = 0;
  /** Ages of the cached plans served, summed: how old the answers were. */
  servedAgeMsSum = 0;

  /** A cached plan answered fresh. */
  countServed(cached: CachedTaskPlan, now: number): void {
    this.countHit(cached.value);
    this.servedAgeMsSum += entryAge(cached, now);
  }

  /** An expired plan answered because the planner failed. */
  countStale(cached: CachedTaskPlan, now: number): void {
    this.stale++;
    this.servedAgeMsSum += entryAge(cached, now);
  }
}

export interface PolicySettings {
  ttlMs: number;
  graceMs: number;
  minGenerationMs: number;
  /** Fraction of the TTL after which a hit on a hot plan refreshes it in the background; 0 is off. */
  earlyRefresh: number;
}

/**
 * How the task-plan cache treats one request: when a plan is fresh, when an expired one may stand
 * in, which generated plans are kept, when a hit refreshes. A policy never changes a key or a plan:
 * every policy reads and writes the same entries, it only judges them differently.
 */
export class TaskPlanPolicy {
  readonly counters = new PolicyCounters();

  constructor(
    /** The experiment variant, or "default" without an experiment. */
    readonly variant: string,
    readonly settings: PolicySettings,
  ) {}

  /**
   * Fresh by the entry's life, narrowed to this policy's TTL and, when the request set `max-age`,
   * to at most that old. Entries are stored fresh for the longest TTL of any policy, so that each
   * judges them by its own.
   */
  isFresh(entry: EntryTimes, now: number, maxAgeMs?: number): boolean {
    return isFreshFor(entry, { now, freshMs: this.settings.ttlMs, maxAgeMs });
  }

  /** Still usable in place of a plan the planner failed to make: within the entry's life and this policy's TTL plus grace. */
  isUsable(entry: EntryTimes, now: number): boolean {
    return isUsableFor(entry, { now, usableMs: this.retentionMs });
  }

  /** Old enough, though fresh, to be regenerated in the background before it expires. */
  isRefreshDue(entry: EntryTimes, now: number): boolean {
    const { earlyRefresh, ttlMs } = this.settings;
    return earlyRefresh > 0 && entryAge(entry, now) >= earlyRefresh * ttlMs;
  }

  worthKeeping(generationMs: number): boolean {
    return generationMs >= this.settings.minGenerationMs;
  }

  /** How long entries must be kept for this policy: through its TTL and its grace. */
  get retentionMs(): number {
    return this.settings.ttlMs + this.settings.graceMs;
  }
}
