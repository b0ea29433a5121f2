import { IntersectionType } from '@nestjs/swagger';
import { TaskPlanStatsDto } from '../../chat/task-plan-cache/dto/task-plan-stats.dto.js';
import { CacheStatsDto } from '../../plan-cache/stats/cache-stats.dto.js';

/** `GET /api/plan-cache/stats`: the engine's totals and namespaces, with the task plans' savings and scopes. */
export class PlanCacheStatsDto extends IntersectionType(CacheStatsDto, TaskPlanStatsDto) {}
