import type { GenerationPermit } from '../../callers/index.js';
import { PlannerRefusedError } from '../planner/planner.errors.js';

/**
 * Settles a tenant's reservation for a planner call of this process that ended without saying
 * what it used. A call the planner refused (a status other than 2xx) or never received was not
 * billed: the reservation goes back. Any other call was sent and may have been billed up to its
 * `max_tokens` (an upstream finishes, and bills, a non-streamed answer whose client left), so it
 * keeps its whole reservation: cancelled because its clients left, past its deadline, a 2xx answer
 * broken off, too large or unusable. Leaving early is no way to spend for free. A call never made
 * here (another instance made the plan, or the cache failed first) is charged nothing.
 */
export class UnknownUsage {
  #sent = false;

  /** Marks the call as made; `onChunk` is passed through. */
  sending<T>(onChunk: T): T {
    this.#sent = true;
    return onChunk;
  }

  settleFailed(permit: GenerationPermit | undefined): (error: unknown) => Promise<never> {
    return async (error) => {
      if (!this.#sent || error instanceof PlannerRefusedError) await permit?.settle(0);
      else permit?.keepReserved();
      throw error;
    };
  }
}
