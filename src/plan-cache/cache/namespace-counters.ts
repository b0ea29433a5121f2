import type { CacheEvent } from '../events/cache-events.js';

/**
 * The counters of one namespace, owned by it: they count its events (code outside the engine
 * records events on the namespace, never changes a field). Plain fields, so that counting costs
 * an increment.
 */
export class NamespaceCounters {
  l1Hits = 0;
  l2Hits = 0;
  /** Misses answered with an expired entry in its grace period because the source failed. */
  staleHits = 0;
  misses = 0;
  sets = 0;
  /** Writes refused because an invalidation happened while the value was loading. */
  refusedSets = 0;
  /** Values the namespace's policy chose not to keep (made too fast to be worth keeping). */
  skippedFast = 0;
  coalesced = 0;
  evictions = 0;
  /** New keys a full in-process tier turned away (frequency admission): asked for less than what they would evict. */
  notAdmitted = 0;
  invalidations = 0;
  /** Keys dropped because another instance said so (the bus), or a resync after a bus outage. */
  busInvalidations = 0;

  get hits(): number {
    return this.l1Hits + this.l2Hits;
  }

  /** Counts one event of the namespace. */
  count(event: CacheEvent): void {
    switch (event.type) {
      case 'hit':
        if (event.tier === 'l1') this.l1Hits++;
        else this.l2Hits++;
        return;
      case 'miss':
        this.misses++;
        return;
      case 'stale':
        this.staleHits++;
        return;
      case 'stored':
        this.sets++;
        return;
      case 'refused':
        if (event.reason === 'fast') this.skippedFast++;
        else if (event.reason === 'invalidated') this.refusedSets++;
        else this.notAdmitted++;
        return;
      case 'coalesced':
        this.coalesced++;
    }
  }
}

export function hitRatio(hits: number, misses: number): number {
  const total = hits + misses;
  return total === 0 ? 0 : Math.round((hits / total) * 10_000) / 10_000;
}
