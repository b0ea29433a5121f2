import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import type { CacheSavings, NamespaceStats, PlanCacheStats, ScopeStats } from '../../plan-cache/plan-cache.service.js';
import type { BreakerState } from '../../plan-cache/redis/redis-guard.js';

/** The counters of one namespace in `GET /api/plan-cache/stats`; `implements` keeps it the answer's shape. */
export class NamespaceStatsDto implements NamespaceStats {
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
  @ApiProperty({ description: 'Plans not kept: generated faster than PLAN_CACHE_MIN_GEN_TIME' }) skipped_fast!: number;
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

/** What cache hits avoided: the planner tokens, generation time and money of the plans they served. */
export class CacheSavingsDto implements CacheSavings {
  @ApiProperty() input_tokens!: number;
  @ApiProperty() output_tokens!: number;
  @ApiProperty({ description: 'Generation seconds the hits did not wait for' }) generation_seconds!: number;
  @ApiProperty({ description: 'At PLANNER_PRICE_INPUT_PER_MTOK and PLANNER_PRICE_OUTPUT_PER_MTOK; 0 without prices' })
  cost!: number;
}

/** The task plans of one cache scope (PLAN_CACHE_SCOPE) in this instance. */
export class ScopeStatsDto implements ScopeStats {
  @ApiProperty({
    enum: ['shared', 'tenant', 'other_tenants'],
    description: "shared: the public scope; tenant: one tenant's own; other_tenants: those beyond the first 1,000",
  })
  scope!: ScopeStats['scope'];
  @ApiProperty({ type: String, nullable: true, description: 'The tenant of a `tenant` scope' }) tenant!: string | null;
  @ApiProperty() hits!: number;
  @ApiProperty() misses!: number;
  @ApiProperty() hit_ratio!: number;
  @ApiProperty({ type: () => CacheSavingsDto }) savings!: CacheSavingsDto;
}

/** `GET /api/plan-cache/stats`: totals over the namespaces, and each namespace. */
export class PlanCacheStatsDto implements PlanCacheStats {
  @ApiProperty({ description: 'PLAN_CACHE_ENABLED' }) enabled!: boolean;
  @ApiProperty() local_cache_size!: number;
  @ApiProperty() local_max_size!: number;
  @ApiProperty() redis_enabled!: boolean;
  @ApiProperty() redis_connected!: boolean;
  @ApiProperty({
    enum: ['closed', 'open', 'half_open'],
    nullable: true,
    description: 'closed: Redis is used; open: skipped after failures; half_open: trying it again',
  })
  redis_breaker!: BreakerState | null;
  @ApiProperty({ type: Number, nullable: true }) redis_cache_size!: number | null;
  @ApiProperty() hits!: number;
  @ApiProperty() misses!: number;
  @ApiProperty() hit_ratio!: number;
  @ApiProperty() l1_hits!: number;
  @ApiProperty() l2_hits!: number;
  @ApiProperty() stale_hits!: number;
  @ApiProperty() sets!: number;
  @ApiProperty() skipped_fast!: number;
  @ApiProperty() coalesced!: number;
  @ApiProperty() evictions!: number;
  @ApiProperty({ type: () => CacheSavingsDto, description: 'What the task-plan hits of this instance saved' })
  savings!: CacheSavingsDto;
  @ApiProperty({
    type: () => [ScopeStatsDto],
    description: 'Task plans by cache scope: the public one first, then each tenant (PLAN_CACHE_SCOPE=tenant)',
  })
  scopes!: ScopeStatsDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(NamespaceStatsDto) },
    description: 'By namespace: `plan` (task plans) and `plans` (billing lists)',
  })
  namespaces!: Record<string, NamespaceStatsDto>;
}
