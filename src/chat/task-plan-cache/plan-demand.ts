import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { EngineTunables } from '../../plan-cache/index.js';
import { DecayingCounts } from './decaying-counts.js';
import { TaskPlanEntries } from './task-plan-entries.js';

const FLUSH_EVERY_MS = 5_000;

/**
 * How often each task plan is asked for: decaying counts here, for early refresh (only hot plans
 * are refreshed), and summed in Redis over every instance, for preloading (TaskPlanWarmer).
 */
@Injectable()
export class PlanDemand implements OnModuleDestroy {
  readonly #counts = new DecayingCounts(EngineTunables.demand.halfLifeMs, EngineTunables.demand.countedKeys);
  /** Requests since the last flush to Redis. */
  readonly #unflushed = new Map<string, number>();
  readonly #flushTimer: NodeJS.Timeout;

  constructor(private readonly plans: TaskPlanEntries) {
    this.#flushTimer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.#flushTimer.unref();
  }

  count(key: string, now: number): void {
    this.#counts.add(key, now);
    this.#unflushed.set(key, (this.#unflushed.get(key) ?? 0) + 1);
  }

  /** The decayed count of `key`: its requests lately. */
  score(key: string, now: number): number {
    return this.#counts.score(key, now);
  }

  async flush(): Promise<void> {
    if (this.#unflushed.size === 0) return;
    const counts = new Map(this.#unflushed);
    this.#unflushed.clear();
    await this.plans.recordDemand(counts);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.#flushTimer);
    await this.flush();
  }
}
