import type { GenerationPermit } from '../../callers/generation-admission.js';
import { PlannerUnavailableError } from '../planner/planner.errors.js';
import { tokensOfChars } from '../planner/token-estimate.js';

/**
 * What a planner call of this process wrote, counted to settle a call that ended without usage.
 * A planner that refused or could not answer (nothing written) cost nothing; a call stopped
 * (its clients left, its deadline passed) or broken off was sent and may have been billed, so it
 * is charged its prompt and what it wrote: leaving early is no way to spend for free. A call
 * never made here (another instance made the plan) is charged nothing.
 */
export class WrittenText {
  #chars?: number;

  counting(onChunk: (text: string) => void): (text: string) => void {
    this.#chars = 0;
    return (text) => {
      this.#chars! += text.length;
      onChunk(text);
    };
  }

  settleFailed(permit: GenerationPermit | undefined): (error: unknown) => Promise<never> {
    return async (error) => {
      const chars = this.#chars;
      const unanswered = chars === 0 && error instanceof PlannerUnavailableError;
      if (chars === undefined || unanswered) await permit?.settle(0);
      else await permit?.settleFailed(tokensOfChars(chars));
      throw error;
    };
  }
}
