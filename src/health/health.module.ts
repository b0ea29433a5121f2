import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health.js';
import { PlanCacheModule } from '../plan-cache/plan-cache.module.js';
import { HealthController } from './health.controller.js';
import { PlannerHealthIndicator } from './planner.health.js';
import { RedisHealthIndicator } from './redis.health.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), PlanCacheModule],
  controllers: [HealthController],
  providers: [DatabaseHealthIndicator, RedisHealthIndicator, PlannerHealthIndicator],
})
export class HealthModule {}
