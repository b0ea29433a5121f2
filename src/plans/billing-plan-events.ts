/** What decides which cached billing-plan lists a plan appears in. */
export interface BillingPlanScope {
  user_id: number;
  connection_type: string;
}

/**
 * The events of committed billing-plan changes. Billing emits them after the database commit;
 * its cache policy (cache/billing-list-invalidation.listener.ts) listens and drops the lists they
 * touch: the service code never calls the cache to invalidate.
 */
export const BillingPlanEvents = {
  created: 'plan.created',
  updated: 'plan.updated',
  deleted: 'plan.deleted',
} as const;

export interface BillingPlanCreatedEvent {
  after: BillingPlanScope;
}

export interface BillingPlanUpdatedEvent {
  before: BillingPlanScope;
  after: BillingPlanScope;
}

export interface BillingPlanDeletedEvent {
  before: BillingPlanScope;
}
