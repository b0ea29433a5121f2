import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import { TaskPlanCache } from './task-plan-cache.js';

/**
 * Preloading: a starting instance pulls the PLAN_CACHE_PRELOAD_TOP most requested plans (by
 * decayed hit counts shared in Redis) into its memory, so that they are hits from the first request.
 */
@Injectable()
export class TaskPlanWarmer implements OnApplicationBootstrap {
  readonly #logger = new Logger(TaskPlanWarmer.name);

  constructor(
    private readonly config: AppConfig,
    private readonly plans: TaskPlanCache,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { enabled, preloadTop } = this.config.taskPlanCache;
    if (!this.config.redis.enabled || !enabled || preloadTop === 0) return;
    const started = performance.now();
    const warmed = await this.plans.warm(preloadTop);
    const ms = Math.round(performance.now() - started);
    if (warmed > 0)
      this.#logger.log({ msg: `Pulled ${warmed} hot task plans from Redis in ${ms} ms`, plans: warmed, ms });
  }
}
