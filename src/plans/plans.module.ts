import { Module } from '@nestjs/common';
import { PlanCacheModule } from '../plan-cache/plan-cache.module.js';
import { BillingPlanRepository } from './billing-plan.repository.js';
import { PlansController } from './plans.controller.js';
import { BillingPlansService } from './billing-plans.service.js';
import { BillingListInvalidationListener } from './cache/billing-list-invalidation.listener.js';
import { BillingListWarmer } from './cache/billing-list.warmer.js';
import { billingPlanListsProvider } from './cache/billing-plan-lists.js';

/** Billing plans: the repository, the service emitting change events, and their cache policy (cache/). */
@Module({
  imports: [PlanCacheModule],
  controllers: [PlansController],
  providers: [
    BillingPlanRepository,
    BillingPlansService,
    billingPlanListsProvider,
    BillingListInvalidationListener,
    BillingListWarmer,
  ],
})
export class PlansModule {}
