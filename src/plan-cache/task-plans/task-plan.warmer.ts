import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { TaskPlanCache } from './task-plan-cache.js';

/** Task plans pulled from Redis into a starting instance, the most requested first. */
export const WARMED_TASK_PLANS = 50;

@Injectable()
export class TaskPlanWarmer implements OnApplicationBootstrap {
  readonly #logger = new Logger(TaskPlanWarmer.name);

  constructor(
    private readonly config: AppConfig,
    private readonly plans: TaskPlanCache,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.redis.enabled || !this.config.taskPlanCache.enabled) return;
    const started = performance.now();
    const warmed = await this.plans.warm(WARMED_TASK_PLANS);
    const ms = Math.round(performance.now() - started);
    if (warmed > 0)
      this.#logger.log({ msg: `Pulled ${warmed} hot task plans from Redis in ${ms} ms`, plans: warmed, ms });
  }
}
