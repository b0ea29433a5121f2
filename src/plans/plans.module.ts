import { Module } from '@nestjs/common';
import { PlanCacheModule } from '../plan-cache/plan-cache.module.js';
import { BillingPlanRepository } from './billing-plan.repository.js';
import { PlanListWarmer } from './cache/billing-list.warmer.js';
import { PlansController } from './plans.controller.js';
import { PlansService } from './plans.service.js';

@Module({
  imports: [PlanCacheModule],
  controllers: [PlansController],
  providers: [BillingPlanRepository, PlansService, PlanListWarmer],
})
export class PlansModule {}
