/** Where a hit was found. */
export type HitTier = 'l1' | 'l2';

/**
 * The counters of one namespace, owned by it: code outside the engine counts through these
 * methods, never by changing a field. Plain fields, so that counting costs an increment.
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

  hit(tier: HitTier): void {
    if (tier === 'l1') this.l1Hits++;
    else this.l2Hits++;
  }

  miss(): void {
    this.misses++;
  }

  /** An expired entry answered in place of a source that failed (already counted as a miss). */
  staleHit(): void {
    this.staleHits++;
  }

  /** A value the policy did not keep. */
  skipped(): void {
    this.skippedFast++;
  }

  /** A request that joined a load already running. */
  joined(): void {
    this.coalesced++;
  }
}

export function hitRatio(hits: number, misses: number): number {
  const total = hits + misses;
  return total === 0 ? 0 : Math.round((hits / total) * 10_000) / 10_000;
}
