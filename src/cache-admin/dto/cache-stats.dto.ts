import { ApiProperty } from '@nestjs/swagger';
import {
  CacheSavingsDto,
  ScopeStatsDto,
  type TaskPlanStatsDto,
} from '../../chat/task-plan-cache/dto/task-plan-stats.dto.js';
import { CacheStatsDto } from '../../plan-cache/stats/cache-stats.dto.js';

/** `GET /api/plan-cache/stats`: the engine's totals and namespaces, with the task plans' savings and scopes. */
export class PlanCacheStatsDto extends CacheStatsDto implements TaskPlanStatsDto {
  @ApiProperty({ description: 'PLAN_CACHE_ENABLED' }) enabled!: boolean;
  @ApiProperty({ type: () => CacheSavingsDto, description: 'What the task-plan hits of this instance saved' })
  savings!: CacheSavingsDto;
  @ApiProperty({
    type: () => [ScopeStatsDto],
    description: 'Task plans by cache scope: the public one first, then each tenant (PLAN_CACHE_SCOPE=tenant)',
  })
  scopes!: ScopeStatsDto[];
}
