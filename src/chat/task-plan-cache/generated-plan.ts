import type { ValueCodec } from '../../plan-cache/index.js';
import { isPlanUsage, type PlanUsage } from './task-plan-entry.js';

/** A plan made by one instance and handed to the others waiting for the same key. */
export interface GeneratedPlan {
  text: string;
  generationMs: number;
  /** Cut at the planner's length limit: answered, never cached. */
  truncated: boolean;
  usage: PlanUsage;
}

const NO_USAGE: PlanUsage = { input_tokens: 0, output_tokens: 0, estimated: true };

/** A generated plan crosses Redis as it is (JSON), and is checked on the way back. */
export const GENERATED_PLAN_CODEC: ValueCodec<GeneratedPlan> = {
  decode: (json) => {
    const plan = json as Partial<GeneratedPlan> | null;
    return typeof plan?.text === 'string' && typeof plan.generationMs === 'number'
      ? {
          text: plan.text,
          generationMs: plan.generationMs,
          truncated: plan.truncated === true,
          usage: isPlanUsage(plan.usage) ? plan.usage : NO_USAGE,
        }
      : undefined;
  },
};
