const FIRST_BACKOFF_MS = 5_000;
const MAX_BACKOFF_MS = 10 * 60_000;

export type RefreshOutcome = 'refreshed' | 'failed' | 'skipped';

/**
 * Which background refreshes may start: one per key, a bounded number at once, and none while
 * the planner is failing (after a failure, a wait that doubles up to ten minutes).
 */
export class RefreshAhead {
  readonly #running = new Set<string>();
  #backoffMs = FIRST_BACKOFF_MS;
  #pausedUntil = 0;

  constructor(
    private readonly concurrency: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reserves a slot for `key`; false when it runs already, all slots are busy, or the planner is failing. */
  tryStart(key: string): boolean {
    if (this.#running.has(key) || this.#running.size >= this.concurrency || this.now() < this.#pausedUntil) {
      return false;
    }
    this.#running.add(key);
    return true;
  }

  finished(key: string, outcome: RefreshOutcome): void {
    this.#running.delete(key);
    if (outcome === 'failed') this.plannerFailed();
    else if (outcome === 'refreshed') this.#backoffMs = FIRST_BACKOFF_MS;
  }

  /** Any planner failure, in the foreground too, pauses the refreshes. */
  plannerFailed(): void {
    this.#pausedUntil = this.now() + this.#backoffMs;
    this.#backoffMs = Math.min(this.#backoffMs * 2, MAX_BACKOFF_MS);
  }

  get running(): number {
    return this.#running.size;
  }
}
