import { Injectable } from '@nestjs/common';
import { HitTally } from './hit-tally.js';
import { TaskPlanEntries } from './task-plan-entries.js';

/** Tenants counted apart; those that come later share one tally, so that memory stays bounded. */
const COUNTED_TENANTS = 1_000;

/**
 * Task-plan counters by cache scope (PLAN_CACHE_SCOPE=tenant): the public scope, each tenant's
 * own, and one tally for the tenants beyond {@link COUNTED_TENANTS}. Counted from the hits and
 * misses of the task plans' namespace.
 */
@Injectable()
export class ScopeCounters {
  readonly shared = new HitTally();
  readonly otherTenants = new HitTally();
  readonly #tenants = new Map<string, HitTally>();

  constructor(plans: TaskPlanEntries) {
    plans.subscribe((event) => {
      if (event.type === 'hit') this.of(event.scope).countHit(event.entry.value);
      else if (event.type === 'miss') this.of(event.scope).misses++;
    });
  }

  /** The tally of `tenant`'s scope; undefined: the public one. */
  of(tenant: string | undefined): HitTally {
    if (tenant === undefined) return this.shared;
    let tally = this.#tenants.get(tenant);
    if (tally) return tally;
    if (this.#tenants.size >= COUNTED_TENANTS) return this.otherTenants;
    tally = new HitTally();
    this.#tenants.set(tenant, tally);
    return tally;
  }

  get tenants(): ReadonlyMap<string, HitTally> {
    return this.#tenants;
  }

  /** Every tally, the public scope first. */
  *all(): Generator<HitTally> {
    yield this.shared;
    yield* this.#tenants.values();
    yield this.otherTenants;
  }
}
