export interface NamespaceStatsSnapshot {
  enabled: boolean;
  local_cache_size: number;
  local_max_size: number;
  ttl_seconds: number;
  hits: number;
  misses: number;
  hit_ratio: number;
  l1_hits: number;
  l2_hits: number;
  stale_hits: number;
  sets: number;
  refused_sets: number;
  skipped_fast: number;
  coalesced: number;
  evictions: number;
  invalidations: number;
  /** Keys whose invalidation this process remembers (those within the load deadline). */
  tracked_versions: number;
}

/** Counters of one namespace; plain fields so that counting costs an increment. */
export class NamespaceStats {
  l1Hits = 0;
  l2Hits = 0;
  /** Misses answered with an expired entry in its grace period because the source failed. */
  staleHits = 0;
  misses = 0;
  sets = 0;
  /** Writes refused because an invalidation happened while the value was loading. */
  refusedSets = 0;
  skippedFast = 0;
  coalesced = 0;
  evictions = 0;
  invalidations = 0;
  /** Keys dropped because another instance said so (the bus), or a resync after a bus outage. */
  busInvalidations = 0;

  get hits(): number {
    return this.l1Hits + this.l2Hits;
  }
}

export function hitRatio(hits: number, misses: number): number {
  const total = hits + misses;
  return total === 0 ? 0 : Math.round((hits / total) * 10_000) / 10_000;
}
