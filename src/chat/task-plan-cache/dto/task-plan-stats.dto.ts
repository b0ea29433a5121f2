import { ApiProperty } from '@nestjs/swagger';

/** What cache hits avoided: the planner tokens, generation time and money of the plans they served. */
export class CacheSavingsDto {
  @ApiProperty() input_tokens!: number;
  @ApiProperty() output_tokens!: number;
  @ApiProperty({ description: 'Generation seconds the hits did not wait for' }) generation_seconds!: number;
  @ApiProperty({ description: 'At PLANNER_PRICE_INPUT_PER_MTOK and PLANNER_PRICE_OUTPUT_PER_MTOK; 0 without prices' })
  cost!: number;
}

/** The task plans of one cache scope (PLAN_CACHE_SCOPE) in this instance. */
export class ScopeStatsDto {
  @ApiProperty({
    enum: ['shared', 'tenant', 'other_tenants'],
    description: "shared: the public scope; tenant: one tenant's own; other_tenants: those beyond the first 1,000",
  })
  scope!: 'shared' | 'tenant' | 'other_tenants';
  @ApiProperty({ type: String, nullable: true, description: 'The tenant of a `tenant` scope' }) tenant!: string | null;
  @ApiProperty() hits!: number;
  @ApiProperty() misses!: number;
  @ApiProperty() hit_ratio!: number;
  @ApiProperty({ type: () => CacheSavingsDto }) savings!: CacheSavingsDto;
}

/** The task plans' part of `GET /api/plan-cache/stats`. */
export class TaskPlanStatsDto {
  @ApiProperty({ description: 'PLAN_CACHE_ENABLED' }) enabled!: boolean;
  @ApiProperty({ type: () => CacheSavingsDto, description: 'What the task-plan hits of this instance saved' })
  savings!: CacheSavingsDto;
  @ApiProperty({
    type: () => [ScopeStatsDto],
    description: 'Task plans by cache scope: the public one first, then each tenant (PLAN_CACHE_SCOPE=tenant)',
  })
  scopes!: ScopeStatsDto[];
}
