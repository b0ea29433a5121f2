export interface SharedLoadRules<L> {
  /** Whether a running load may still take a newcomer (one whose every client left may not). */
  joinable(load: L): boolean;
  /** Settles when the load is over: from then on a request for its key starts a new one. */
  settled(load: L): Promise<unknown>;
}

/**
 * Single flight in this process for loads that start with an admission: a load is registered for
 * its key from the moment its starter begins to be admitted, so that concurrent misses wait for
 * that admission instead of each paying for their own. When the starter is refused, nothing was
 * shared: the next waiter is admitted on its own account.
 */
export class SharedLoads<L> {
  readonly #loads = new Map<string, Promise<L>>();

  constructor(private readonly rules: SharedLoadRules<L>) {}

  /**
   * The running load for `key` (`joined`), else the one `start` admits and begins. A refusal of
   * `start` is this caller's alone: it rejects, and the key is free for the next.
   */
  async join(key: string, start: () => Promise<L>): Promise<{ load: L; joined: boolean }> {
    for (let pending = this.#loads.get(key); pending; pending = this.#loads.get(key)) {
      const running = await pending.catch(() => undefined);
      if (running !== undefined && this.rules.joinable(running)) return { load: running, joined: true };
      // Its starter was refused (the key is free again), or its clients left: start anew.
      if (this.#loads.get(key) === pending) break;
    }
    const started = start();
    this.#loads.set(key, started);
    const forget = () => {
      if (this.#loads.get(key) === started) this.#loads.delete(key);
    };
    started.then((load) => this.rules.settled(load).then(forget, forget), forget);
    return { load: await started, joined: false };
  }

  /** Whether a load for `key` is running or being admitted. */
  has(key: string): boolean {
    return this.#loads.has(key);
  }
}
