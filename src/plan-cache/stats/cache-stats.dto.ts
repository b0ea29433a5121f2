import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import type { BreakerState } from '../redis/redis-guard.js';
import { NamespaceStatsDto } from './namespace-stats.dto.js';

/** The engine's part of `GET /api/plan-cache/stats`: totals over the namespaces, Redis, and each namespace. */
export class CacheStatsDto {
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
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(NamespaceStatsDto) },
    description: 'By namespace, under the name its domain gave it',
  })
  namespaces!: Record<string, NamespaceStatsDto>;
}

/** Counters summed over the namespaces for the totals. */
export const SUMMED_FIELDS = [
  'local_cache_size',
  'local_max_size',
  'hits',
  'misses',
  'l1_hits',
  'l2_hits',
  'stale_hits',
  'sets',
  'skipped_fast',
  'coalesced',
  'evictions',
] as const satisfies readonly (keyof NamespaceStatsDto & keyof CacheStatsDto)[];
