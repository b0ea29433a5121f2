import { DomainError } from '../../common/index.js';
import { GenerationCancelledError, PlannerTimeoutError, PlannerUnavailableError } from '../planner/planner.errors.js';
import type { PlannerAnswer } from '../planner/planner.js';

export interface GenerationResult extends PlannerAnswer {
  generationMs: number;
}

export type GenerationRun = (options: {
  signal: AbortSignal;
  onChunk: (text: string) => void;
}) => Promise<PlannerAnswer>;

/**
 * One call of the planner that several clients may share. A client joining late receives the
 * chunks produced so far, then the live ones. The call has a deadline, and is cancelled when the
 * last client leaves before it is done.
 */
export class Generation {
  readonly result: Promise<GenerationResult>;
  readonly #chunks: string[] = [];
  readonly #listeners = new Set<(text: string) => void>();
  readonly #cancel = new AbortController();
  #clients = 0;
  #settled = false;

  constructor(run: GenerationRun, timeoutMs: number) {
    const started = performance.now();
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([this.#cancel.signal, deadline]);
    this.result = run({ signal, onChunk: (text) => this.#emit(text) })
      .then((answer) => ({ ...answer, generationMs: performance.now() - started }))
      .catch((error: unknown) => {
        if (deadline.aborted) throw new PlannerTimeoutError(timeoutMs);
        if (this.#cancel.signal.aborted) throw new GenerationCancelledError();
        if (error instanceof DomainError) throw error;
        throw new PlannerUnavailableError(`The planner failed: ${error instanceof Error ? error.message : 'unknown'}`);
      })
      .finally(() => {
        this.#settled = true;
        this.#listeners.clear();
      });
    // Whoever joins handles the outcome; a generation nobody waits for must not warn about it.
    this.result.catch(() => undefined);
  }

  /** Every client has left before the end: the generation is (being) cancelled. */
  get abandoned(): boolean {
    return this.#cancel.signal.aborted;
  }

  /**
   * Joins the generation; `onChunk` first receives what was produced so far. Returns the function
   * that leaves it: the last client to leave before the end cancels the planner call.
   */
  join(onChunk?: (text: string) => void): () => void {
    this.#clients++;
    if (onChunk) {
      for (const text of this.#chunks) onChunk(text);
      if (!this.#settled) this.#listeners.add(onChunk);
    }
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#clients--;
      if (onChunk) this.#listeners.delete(onChunk);
      if (this.#clients === 0 && !this.#settled) this.#cancel.abort(new GenerationCancelledError());
    };
  }

  /**
   * Joins for a client: it leaves by itself when `clientGone` aborts, and the function returned
   * leaves too (once, whichever comes first).
   */
  follow(clientGone: AbortSignal, onChunk?: (text: string) => void): () => void {
    const leave = this.join(onChunk);
    // A client gone while it was being admitted leaves at once: the signal will not fire again.
    if (clientGone.aborted) leave();
    else clientGone.addEventListener('abort', leave, { once: true });
    return () => {
      leave();
      clientGone.removeEventListener('abort', leave);
    };
  }

  #emit(text: string): void {
    this.#chunks.push(text);
    for (const listener of this.#listeners) listener(text);
  }
}

/** A generation several requests share, and its result once it is also stored. */
export interface SharedGeneration {
  generation: Generation;
  /** The result once it is also stored: waiters take this, so the next request finds it cached. */
  completion: Promise<GenerationResult>;
}
