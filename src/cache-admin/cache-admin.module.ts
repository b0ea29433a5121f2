import { Module } from '@nestjs/common';
import { TaskPlanCacheModule } from '../chat/index.js';
import { PlanCacheModule } from '../plan-cache/plan-cache.module.js';
import { PlanCacheAdminController } from './plan-cache-admin.controller.js';

/**
 * The operators' API of the cache (`/api/plan-cache`): the engine's statistics and clears, and
 * what a domain offers through its admin interface (TaskPlanAdmin: clear by goal, experiments).
 */
@Module({
  imports: [PlanCacheModule, TaskPlanCacheModule],
  controllers: [PlanCacheAdminController],
})
export class CacheAdminModule {}
