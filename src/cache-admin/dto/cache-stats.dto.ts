import { IntersectionType } from '@nestjs/swagger';
import { TaskPlanStatsDto } from '../../chat/index.js';
import { CacheStatsDto } from '../../plan-cache/index.js';

/** `GET /api/plan-cache/stats`: the engine's totals and namespaces, with the task plans' savings and scopes. */
export class PlanCacheStatsDto extends IntersectionType(CacheStatsDto, TaskPlanStatsDto) {}
