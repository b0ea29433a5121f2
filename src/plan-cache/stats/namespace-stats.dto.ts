import { ApiProperty } from '@nestjs/swagger';

/** The counters of one namespace in `GET /api/plan-cache/stats`, as CacheNamespace.snapshot() makes them. */
export class NamespaceStatsDto {
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ description: 'Entries held in this process' }) local_cache_size!: number;
  @ApiProperty() local_max_size!: number;
  @ApiProperty() ttl_seconds!: number;
  @ApiProperty() hits!: number;
  @ApiProperty() misses!: number;
  @ApiProperty({ description: 'hits / (hits + misses), 0 before any request' }) hit_ratio!: number;
  @ApiProperty() l1_hits!: number;
  @ApiProperty() l2_hits!: number;
  @ApiProperty({ description: 'Expired entries served because the source failed' }) stale_hits!: number;
  @ApiProperty() sets!: number;
  @ApiProperty({ description: 'Writes refused: an invalidation came while the value was loading' })
  refused_sets!: number;
  @ApiProperty({
    description: 'New keys a full in-process tier turned away: asked for less than what they would evict',
  })
  not_admitted!: number;
  @ApiProperty({ description: "Values the namespace's policy chose not to keep (made too fast to be worth it)" })
  skipped_fast!: number;
  @ApiProperty({ description: 'Requests that joined a load already running' }) coalesced!: number;
  @ApiProperty() evictions!: number;
  @ApiProperty() invalidations!: number;
  @ApiProperty({ description: 'Keys whose invalidation this process remembers (within the load deadline)' })
  tracked_versions!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Entries in Redis as last counted (about a second ago, an estimate); null without Redis or while it is away',
  })
  redis_cache_size!: number | null;
}
