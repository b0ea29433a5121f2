import { Injectable } from '@nestjs/common';
import type { TaskPlanEntry } from './task-plan-entry.js';

/** The hits, misses and savings of the task plans of one cache scope, in this process. */
export class ScopeTally {
  hits = 0;
  misses = 0;
  savedInputTokens = 0;
  savedOutputTokens = 0;
  savedMs = 0;

  countHit(entry: TaskPlanEntry): void {
    this.hits++;
    this.savedMs += entry.generation_ms;
    this.savedInputTokens += entry.usage?.input_tokens ?? 0;
    this.savedOutputTokens += entry.usage?.output_tokens ?? 0;
  }
}

/** Tenants counted apart; those that come later share one tally, so that memory stays bounded. */
const COUNTED_TENANTS = 1_000;

/**
 * Task-plan counters by cache scope (PLAN_CACHE_SCOPE=tenant): the public scope, each tenant's
 * own, and one tally for the tenants beyond {@link COUNTED_TENANTS}.
 */
@Injectable()
export class ScopeCounters {
  readonly shared = new ScopeTally();
  readonly otherTenants = new ScopeTally();
  readonly #tenants = new Map<string, ScopeTally>();

  /** The tally of `tenant`'s scope; undefined: the public one. */
  of(tenant: string | undefined): ScopeTally {
    if (tenant === undefined) return this.shared;
    let tally = this.#tenants.get(tenant);
    if (tally) return tally;
    if (this.#tenants.size >= COUNTED_TENANTS) return this.otherTenants;
    tally = new ScopeTally();
    this.#tenants.set(tenant, tally);
    return tally;
  }

  get tenants(): ReadonlyMap<string, ScopeTally> {
    return this.#tenants;
  }

  /** Every tally, the public scope first. */
  *all(): Generator<ScopeTally> {
    yield this.shared;
    yield* this.#tenants.values();
    yield this.otherTenants;
  }
}
