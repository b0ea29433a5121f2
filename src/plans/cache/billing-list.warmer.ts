import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import { CONNECTION_TYPES } from '../../database/index.js';
import { BillingListKeys } from './billing-list-keys.js';
import { BillingPlanLists } from './billing-plan-lists.js';
import { SerializedJson } from '../../plan-cache/index.js';
import type { BillingPlanFilter } from '../billing-plan.repository.js';
import { BillingPlansService } from '../billing-plans.service.js';

/** Per-user lists warmed at start-up, at most; the busiest users first. */
export const WARMED_USERS = 100;

/** Loads the billing-plan lists into the cache before the first request asks for them. */
@Injectable()
export class BillingListWarmer implements OnApplicationBootstrap {
  readonly #logger = new Logger(BillingListWarmer.name);

  constructor(
    private readonly config: AppConfig,
    private readonly plans: BillingPlansService,
    private readonly lists: BillingPlanLists,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.planListCache.warm) return;
    const started = performance.now();
    try {
      const count = await this.warm();
      const ms = Math.round(performance.now() - started);
      this.#logger.log({ msg: `Warmed ${count} billing-plan lists in ${ms} ms`, lists: count, ms });
    } catch (error) {
      this.#logger.warn({ msg: 'Warming billing-plan lists failed; they will load on first use', err: error });
    }
  }

  /** Answers how many lists it loaded. */
  async warm(): Promise<number> {
    const filters: BillingPlanFilter[] = [{}, ...CONNECTION_TYPES.map((connectionType) => ({ connectionType }))];
    for (const userId of await this.plans.busiestUsers(WARMED_USERS)) filters.push({ userId });
    for (const filter of filters) {
      const key = BillingListKeys.forFilter({ user_id: filter.userId, connection_type: filter.connectionType });
      await this.lists.warm(key, async () => SerializedJson.of(await this.plans.list(filter)));
    }
    return filters.length;
  }
}
