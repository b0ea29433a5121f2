import { PlannerBusyError } from './limit-refusal.error.js';

export interface PlannerSlotsSettings {
  /** Planner calls at once. */
  concurrency: number;
  /** Callers that may wait for a slot; more are refused at once. */
  queueMax: number;
  /** The longest a caller waits for a slot. */
  queueTimeoutMs: number;
}

interface Waiter {
  grant: () => void;
  timer: NodeJS.Timeout;
}

/**
 * PLANNER_MAX_CONCURRENCY planner calls at once in this process; more wait in order in a
 * bounded queue, for a bounded time, then are refused (503). Each slot is given back once.
 */
export class PlannerSlots {
  #busy = 0;
  readonly #queue: Waiter[] = [];

  constructor(
    private readonly settings: PlannerSlotsSettings,
    private readonly observe: { waited(ms: number): void } = { waited: () => undefined },
  ) {}

  get inUse(): number {
    return this.#busy;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  /** A slot, now or after waiting; resolves to the function that gives it back. */
  async acquire(): Promise<() => void> {
    if (this.#busy < this.settings.concurrency) {
      this.#busy++;
      this.observe.waited(0);
      return this.#releaser();
    }
    if (this.#queue.length >= this.settings.queueMax) {
      throw new PlannerBusyError('planner_queue_full', 1);
    }
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          this.#queue.splice(this.#queue.indexOf(waiter), 1);
          reject(new PlannerBusyError('planner_queue_timeout', 1));
        }, this.settings.queueTimeoutMs),
      };
      this.#queue.push(waiter);
    });
    this.observe.waited(performance.now() - started);
    return this.#releaser();
  }

  /** A slot if one is free now; undefined otherwise (background work does not queue). */
  tryAcquire(): (() => void) | undefined {
    if (this.#busy >= this.settings.concurrency) return undefined;
    this.#busy++;
    return this.#releaser();
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      // The slot passes straight to the next in line: #busy stays as it is.
      if (next) next.grant();
      else this.#busy--;
    };
  }
}
