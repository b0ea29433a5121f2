import type { PlannerMetrics, PlannerOutcome } from '../../metrics/planner.metrics.js';
import type { Planner, PlannerCallOptions, PlannerRequest } from './planner.js';
import { GenerationCancelledError } from './planner.errors.js';

/** A planner whose calls are measured; the planner itself knows nothing of metrics. */
export class InstrumentedPlanner implements Planner {
  readonly provider: Planner['provider'];

  constructor(
    private readonly planner: Planner,
    private readonly metrics: PlannerMetrics,
  ) {
    this.provider = planner.provider;
  }

  plan(request: PlannerRequest, options: PlannerCallOptions): Promise<string> {
    return this.#measure(() => this.planner.plan(request, options), options.signal);
  }

  reply(request: PlannerRequest, options: PlannerCallOptions): Promise<string> {
    return this.#measure(() => this.planner.reply(request, options), options.signal);
  }

  async #measure(call: () => Promise<string>, signal: AbortSignal): Promise<string> {
    const finished = this.metrics.started(this.provider);
    try {
      const text = await call();
      finished('success');
      return text;
    } catch (error) {
      finished(outcomeOf(signal));
      throw error;
    }
  }
}

/** An aborted call was cancelled (its clients left) or timed out; anything else is a failure. */
function outcomeOf(signal: AbortSignal): PlannerOutcome {
  if (!signal.aborted) return 'unavailable';
  return signal.reason instanceof GenerationCancelledError ? 'cancelled' : 'timeout';
}
