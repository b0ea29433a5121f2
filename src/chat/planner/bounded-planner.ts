import { estimatedUsage } from './token-estimate.js';
import type { Planner, PlannerAnswer, PlannerCallKind, PlannerCallOptions, PlannerRequest } from './planner.js';

/** Why a call was stopped: its answer reached the length limit. */
class LongEnough extends Error {}

/**
 * A planner whose answers stop at `maxChars` (PLANNER_MAX_PLAN_CHARS): chunks are passed on up to
 * the limit, then the call is stopped and the text so far is answered, marked truncated, so that
 * a runaway planner can neither fill the memory nor the cache.
 */
export class BoundedPlanner implements Planner {
  readonly provider: Planner['provider'];

  constructor(
    private readonly planner: Planner,
    private readonly maxChars: number,
  ) {
    this.provider = planner.provider;
  }

  plan(request: PlannerRequest, options: PlannerCallOptions): Promise<PlannerAnswer> {
    return this.#bounded(request, (bounded) => this.planner.plan(request, bounded), options);
  }

  reply(request: PlannerRequest, options: PlannerCallOptions): Promise<PlannerAnswer> {
    return this.#bounded(request, (bounded) => this.planner.reply(request, bounded), options);
  }

  promptTokens(request: PlannerRequest, kind: PlannerCallKind): number {
    return this.planner.promptTokens(request, kind);
  }

  async #bounded(
    request: PlannerRequest,
    call: (options: PlannerCallOptions) => Promise<PlannerAnswer>,
    { signal, onChunk, stream, maxTokens }: PlannerCallOptions,
  ): Promise<PlannerAnswer> {
    const enough = new AbortController();
    let text = '';
    const forward = (chunk: string): void => {
      if (enough.signal.aborted) return;
      const room = this.maxChars - text.length;
      const part = chunk.length > room ? chunk.slice(0, room) : chunk;
      text += part;
      if (part.length > 0) onChunk?.(part);
      if (chunk.length > room) enough.abort(new LongEnough());
    };
    try {
      const answer = await call({
        signal: AbortSignal.any([signal, enough.signal]),
        onChunk: forward,
        stream,
        maxTokens,
      });
      if (answer.text.length <= this.maxChars) return answer;
      return { ...answer, text: answer.text.slice(0, this.maxChars), truncated: true };
    } catch (error) {
      // Stopped before the planner said what it used: the part written so far, estimated.
      if (enough.signal.aborted && !signal.aborted) {
        return {
          text,
          truncated: true,
          usage: estimatedUsage(`${request.goal}\n${request.projectContext ?? ''}`, text),
        };
      }
      throw error;
    }
  }
}
