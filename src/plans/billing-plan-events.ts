import type { PlanListScope } from './cache/billing-list-keys.js';

/**
 * The events the plan cache understands from the billing side. Billing emits them after the
 * database commit; the cache listens and drops the lists they touch. Billing never calls the
 * cache to invalidate, and the cache never imports billing: this contract sits between them.
 */
export const BillingPlanEvents = {
  created: 'plan.created',
  updated: 'plan.updated',
  deleted: 'plan.deleted',
} as const;

export interface BillingPlanCreatedEvent {
  after: PlanListScope;
}

export interface BillingPlanUpdatedEvent {
  before: PlanListScope;
  after: PlanListScope;
}

export interface BillingPlanDeletedEvent {
  before: PlanListScope;
}
