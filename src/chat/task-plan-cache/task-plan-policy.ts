import { HitTally } from './hit-tally.js';
import type { TaskPlanEntry } from './task-plan-entry.js';

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
  countServed(entry: TaskPlanEntry, now: number): void {
    this.countHit(entry);
    this.servedAgeMsSum += now - entry.created_at;
  }

  /** An expired plan answered because the planner failed. */
  countStale(entry: TaskPlanEntry, now: number): void {
    this.stale++;
    this.servedAgeMsSum += now - entry.created_at;
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

  /** Within the TTL, and, when the request set `max-age`, at most that old. */
  isFresh(entry: TaskPlanEntry, now: number, maxAgeMs?: number): boolean {
    const age = now - entry.created_at;
    return age < this.settings.ttlMs && (maxAgeMs === undefined || age <= maxAgeMs);
  }

  /** Still usable in place of a plan the planner failed to make. */
  isUsable(entry: TaskPlanEntry, now: number): boolean {
    return now < entry.created_at + this.settings.ttlMs + this.settings.graceMs;
  }

  /** Old enough, though fresh, to be regenerated in the background before it expires. */
  isRefreshDue(entry: TaskPlanEntry, now: number): boolean {
    const { earlyRefresh, ttlMs } = this.settings;
    return earlyRefresh > 0 && now - entry.created_at >= earlyRefresh * ttlMs;
  }

  worthKeeping(generationMs: number): boolean {
    return generationMs >= this.settings.minGenerationMs;
  }

  /** How long entries must be kept for this policy: through its TTL and its grace. */
  get retentionMs(): number {
    return this.settings.ttlMs + this.settings.graceMs;
  }
}
