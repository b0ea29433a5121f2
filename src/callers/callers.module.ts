import { Module } from '@nestjs/common';
import { PlanCacheModule } from '../plan-cache/plan-cache.module.js';
import { CallerGuard } from './caller.guard.js';
import { CallerResolver } from './caller.resolver.js';
import { GenerationAdmission } from './generation-admission.js';

/** Who calls (JWT or address) and what they may make the planner do. */
@Module({
  imports: [PlanCacheModule],
  providers: [CallerResolver, CallerGuard, GenerationAdmission],
  exports: [CallerResolver, CallerGuard, GenerationAdmission],
})
export class CallersModule {}
