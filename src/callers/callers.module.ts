import { Module } from '@nestjs/common';
import { PlanCacheModule } from '../plan-cache/plan-cache.module.js';
import { CallerMetrics } from './caller.metrics.js';
import { CallerGuard } from './caller.guard.js';
import { CallerResolver } from './caller.resolver.js';
import { GenerationAdmission } from './generation-admission.js';
import { OpenStreams } from './open-streams.js';

/** Who calls (JWT or address) and what they may make the planner do. */
@Module({
  imports: [PlanCacheModule],
  providers: [CallerResolver, CallerGuard, GenerationAdmission, OpenStreams, CallerMetrics],
  exports: [CallerResolver, CallerGuard, GenerationAdmission, OpenStreams, CallerMetrics],
})
export class CallersModule {}
