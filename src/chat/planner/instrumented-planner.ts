import { Logger } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import { GenAi, genAiSpanName, inSpan } from '../../tracing/index.js';
import type { Planner, PlannerAnswer, PlannerCallKind, PlannerCallOptions, PlannerRequest } from './planner.js';
import { GenerationCancelledError } from './planner.errors.js';
import type { PlannerMetrics, PlannerOutcome } from './planner.metrics.js';

/**
 * A planner whose calls are measured and traced (a GenAI `chat {model}` span with the tokens and
 * the finish reason); the planner itself knows nothing of metrics or traces.
 */
export class InstrumentedPlanner implements Planner {
  readonly provider: Planner['provider'];
  readonly #logger = new Logger('Planner');

  constructor(
    private readonly planner: Planner,
    private readonly metrics: PlannerMetrics,
    /** The model the calls ask for (`builtin` for the builtin planner). */
    private readonly model: string,
  ) {
    this.provider = planner.provider;
  }

  plan(request: PlannerRequest, options: PlannerCallOptions): Promise<PlannerAnswer> {
    return this.#measure(() => this.planner.plan(request, options), options.signal);
  }

  reply(request: PlannerRequest, options: PlannerCallOptions): Promise<PlannerAnswer> {
    return this.#measure(() => this.planner.reply(request, options), options.signal);
  }

  promptTokens(request: PlannerRequest, kind: PlannerCallKind): number {
    return this.planner.promptTokens(request, kind);
  }

  #measure(call: () => Promise<PlannerAnswer>, signal: AbortSignal): Promise<PlannerAnswer> {
    const attributes = {
      [GenAi.operationName]: 'chat',
      [GenAi.providerName]: this.provider,
      [GenAi.requestModel]: this.model,
    };
    return inSpan(genAiSpanName('chat', this.model), { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const answer = await this.#count(call, signal);
      span.setAttributes({
        [GenAi.inputTokens]: answer.usage.input_tokens,
        [GenAi.outputTokens]: answer.usage.output_tokens,
        [GenAi.finishReasons]: [answer.truncated ? 'length' : 'stop'],
      });
      return answer;
    });
  }

  async #count(call: () => Promise<PlannerAnswer>, signal: AbortSignal): Promise<PlannerAnswer> {
    const finished = this.metrics.started(this.provider);
    try {
      const answer = await call();
      finished('success');
      this.metrics.usedTokens(this.provider, answer.usage);
      return answer;
    } catch (error) {
      const outcome = outcomeOf(signal);
      finished(outcome);
      // Once per call, however many clients wait on it: the detail the clients are not told.
      if (outcome === 'unavailable') this.#logger.warn({ msg: 'The planner failed', detail: (error as Error).message });
      throw error;
    }
  }
}

/** An aborted call was cancelled (its clients left) or timed out; anything else is a failure. */
function outcomeOf(signal: AbortSignal): PlannerOutcome {
  if (!signal.aborted) return 'unavailable';
  return signal.reason instanceof GenerationCancelledError ? 'cancelled' : 'timeout';
}
