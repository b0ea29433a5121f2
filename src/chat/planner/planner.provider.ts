import type { Provider } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import { BoundedPlanner } from './bounded-planner.js';
import { BuiltinPlanner } from './builtin-planner.js';
import { InstrumentedPlanner } from './instrumented-planner.js';
import { OpenAiPlanner } from './openai-planner.js';
import { PLANNER, type Planner } from './planner.js';
import { PlannerMetrics } from './planner.metrics.js';

/** PLANNER_PROVIDER picks the planner; the configuration guarantees the URL for `openai`. */
export const plannerProvider: Provider = {
  provide: PLANNER,
  inject: [AppConfig, PlannerMetrics],
  useFactory: ({ planner }: AppConfig, metrics: PlannerMetrics): Planner =>
    new InstrumentedPlanner(
      new BoundedPlanner(
        planner.provider === 'openai'
          ? new OpenAiPlanner({
              baseUrl: planner.baseUrl!,
              apiKey: planner.apiKey,
              model: planner.model,
              maxTokens: planner.maxTokens,
              answerLimits: planner.answerLimits,
            })
          : new BuiltinPlanner(planner.builtinDelayMs),
        planner.maxPlanChars,
      ),
      metrics,
      planner.provider === 'openai' ? planner.model : 'builtin',
    ),
};
