import type { FactoryProvider } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import { RefreshAhead } from './refresh-ahead.js';

/** One gate of background refreshes per instance, shared by the hits that start them and the generations that fail. */
export const refreshAheadProvider: FactoryProvider<RefreshAhead> = {
  provide: RefreshAhead,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => new RefreshAhead(config.taskPlanCache.refreshConcurrency),
};
