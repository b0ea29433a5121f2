import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  BillingPlanEvents,
  type BillingPlanCreatedEvent,
  type BillingPlanDeletedEvent,
  type BillingPlanScope,
  type BillingPlanUpdatedEvent,
} from '../billing-plan-events.js';
import { BillingListKeys } from './billing-list-keys.js';
import { BillingPlanLists } from './billing-plan-lists.js';

/** Drops exactly the billing-plan lists a committed change touches. */
@Injectable()
export class BillingListInvalidationListener {
  readonly #logger = new Logger(BillingListInvalidationListener.name);

  constructor(private readonly lists: BillingPlanLists) {}

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

  async #drop(before: BillingPlanScope | undefined, after: BillingPlanScope | undefined): Promise<void> {
    const keys = BillingListKeys.touchedBy(before, after);
    await this.lists.invalidate(keys);
    this.#logger.log({ keys }, `Invalidated ${keys.length} billing-plan lists`);
  }
}
