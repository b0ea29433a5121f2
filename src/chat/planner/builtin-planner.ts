import { setTimeout as sleep } from 'node:timers/promises';
import { chunksOf, writePlan, writeReply } from './builtin-plan-writer.js';
import { cutToTokens, estimatedUsage, estimateTokens } from './token-estimate.js';
import type { Planner, PlannerAnswer, PlannerCallOptions, PlannerRequest } from './planner.js';

/**
 * The offline planner: deterministic text, streamed in chunks over a configurable time so that
 * it behaves like a real agent (and the cache has something to save).
 */
export class BuiltinPlanner implements Planner {
  readonly provider = 'builtin';

  constructor(private readonly delayMs: number) {}

  plan(request: PlannerRequest, options: PlannerCallOptions): Promise<PlannerAnswer> {
    return this.#stream(request, writePlan(request), options);
  }

  reply(request: PlannerRequest, options: PlannerCallOptions): Promise<PlannerAnswer> {
    return this.#stream(request, writeReply(request), options);
  }

  promptTokens(request: PlannerRequest): number {
    return estimateTokens(promptOf(request));
  }

  async #stream(
    request: PlannerRequest,
    written: string,
    { signal, onChunk, maxTokens }: PlannerCallOptions,
  ): Promise<PlannerAnswer> {
    // As an agent's answer stops at max_tokens: a tenant's reservation covers what is estimated.
    const text = maxTokens === undefined ? written : cutToTokens(written, maxTokens);
    const truncated = text.length < written.length;
    const chunks = chunksOf(text);
    const pause = chunks.length > 0 ? this.delayMs / chunks.length : 0;
    signal.throwIfAborted();
    for (const chunk of chunks) {
      if (pause > 0) await sleep(pause, undefined, { signal });
      onChunk?.(chunk);
    }
    // What an agent would have been sent and would have written: the offline planner costs nothing.
    return { text, truncated, usage: estimatedUsage(promptOf(request), text) };
  }
}

function promptOf(request: PlannerRequest): string {
  return `${request.goal}\n${request.projectContext ?? ''}`;
}
