import { Inject, Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  BillingPlanEvents,
  type BillingPlanCreatedEvent,
  type BillingPlanDeletedEvent,
  type BillingPlanUpdatedEvent,
} from '../billing-plan-events.js';
import type { CacheNamespace } from '../../plan-cache/cache/cache-namespace.js';
import { PLAN_LIST_CACHE } from '../../plan-cache/plan-cache.tokens.js';
import { PlanListKeys, type PlanListScope } from './billing-list-keys.js';

/** Drops exactly the billing-plan lists a committed change touches. */
@Injectable()
export class BillingPlanInvalidationListener {
  readonly #logger = new Logger(BillingPlanInvalidationListener.name);

  constructor(@Inject(PLAN_LIST_CACHE) private readonly lists: CacheNamespace<unknown>) {}

  @OnEvent(BillingPlanEvents.created, { promisify: true })
  onCreated(event: BillingPlanCreatedEvent): Promise<void> {
    return this.#drop(undefined, event.after);
  }

  @OnEvent(BillingPlanEvents.updated, { promisify: true })
  onUpdated(event: BillingPlanUpdatedEvent): Promise<void> {
    return this.#drop(event.before, event.after);
  }

  @OnEvent(BillingPlanEvents.deleted, { promisify: true })
  onDeleted(event: BillingPlanDeletedEvent): Promise<void> {
    return this.#drop(event.before, undefined);
  }

  async #drop(before: PlanListScope | undefined, after: PlanListScope | undefined): Promise<void> {
    const keys = PlanListKeys.touchedBy(before, after);
    await this.lists.invalidate(keys);
    this.#logger.log({ keys }, `Invalidated ${keys.length} billing-plan lists`);
  }
}
