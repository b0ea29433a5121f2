import { Module } from '@nestjs/common';
import { CallersModule } from '../callers/callers.module.js';
import { PlanCacheModule } from '../plan-cache/plan-cache.module.js';
import { BillingPlanRepository } from './billing-plan.repository.js';
import { PlansController } from './plans.controller.js';
import { BillingPlansService } from './billing-plans.service.js';
import { AnonymousListLoads } from './cache/anonymous-list-loads.guard.js';
import { BillingListInvalidationListener } from './cache/billing-list-invalidation.listener.js';
import { BillingListWarmer } from './cache/billing-list.warmer.js';
import { billingPlanListsProvider } from './cache/billing-plan-lists.js';

/** Billing plans: the repository, the service emitting change events, and their cache policy (cache/). */
@Module({
  imports: [PlanCacheModule, CallersModule],
  controllers: [PlansController],
  providers: [
    BillingPlanRepository,
    BillingPlansService,
    billingPlanListsProvider,
    BillingListInvalidationListener,
    BillingListWarmer,
    AnonymousListLoads,
  ],
})
export class PlansModule {}
