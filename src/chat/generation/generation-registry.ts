import type { Generation, GenerationResult } from './generation.js';

export interface SharedGeneration {
  generation: Generation;
  /** The result once it is also stored: waiters take this, so the next request finds it cached. */
  completion: Promise<GenerationResult>;
}

/** Single flight for planner calls: one generation per task-plan key in this process. */
export class GenerationRegistry {
  readonly #running = new Map<string, SharedGeneration>();

  /** The running generation for `key`, or a new one from `start`; `joined` tells which. */
  joinOrStart(key: string, start: () => SharedGeneration): { shared: SharedGeneration; joined: boolean } {
    const running = this.#running.get(key);
    if (running && !running.generation.abandoned) return { shared: running, joined: true };
    const shared = start();
    this.#running.set(key, shared);
    const forget = () => {
      if (this.#running.get(key) === shared) this.#running.delete(key);
    };
    shared.completion.then(forget, forget);
    return { shared, joined: false };
  }

  /** Whether a generation for `key` runs that a request may still join. */
  isRunning(key: string): boolean {
    const running = this.#running.get(key);
    return running !== undefined && !running.generation.abandoned;
  }
}
