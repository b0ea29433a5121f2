export interface SharedLoadRules<L> {
  /** Whether a running load may still take a newcomer (one whose every client left may not). */
  joinable(load: L): boolean;
  /** Settles when the load is over: from then on a request for its key starts a new one. */
  settled(load: L): Promise<unknown>;
}

/** A key's load: being admitted while `load` is undefined, running once it is set. */
interface Pending<L> {
  readonly admitted: Promise<L>;
  load?: L;
}

/**
 * Single flight in this process for loads that start with an admission: a load is registered for
 * its key from the moment its starter begins to be admitted, so that concurrent misses wait for
 * that admission instead of each paying for their own. When the starter is refused, nothing was
 * shared: the next waiter is admitted on its own account.
 */
export class SharedLoads<L> {
  readonly #loads = new Map<string, Pending<L>>();

  constructor(private readonly rules: SharedLoadRules<L>) {}

  /**
   * The running load for `key` (`joined`), else the one `start` admits and begins. A refusal of
   * `start` is this caller's alone: it rejects, and the key is free for the next.
   */
  async join(key: string, start: () => Promise<L>): Promise<{ load: L; joined: boolean }> {
    for (let pending = this.#loads.get(key); pending; pending = this.#loads.get(key)) {
      const running = await pending.admitted.catch(() => undefined);
      if (running !== undefined && this.rules.joinable(running)) return { load: running, joined: true };
      // Its starter was refused (the key is free again), or its clients left: start anew.
      if (this.#loads.get(key) === pending) break;
    }
    return { load: await this.#start(key, start), joined: false };
  }

  /**
   * {@link join} for work that must not wait: undefined while another request for the key is
   * being admitted (it may be queued for the very resource this caller holds).
   */
  async joinUnlessAdmitting(key: string, start: () => Promise<L>): Promise<{ load: L; joined: boolean } | undefined> {
    const pending = this.#loads.get(key);
    if (pending && pending.load === undefined) return undefined;
    if (pending?.load !== undefined && this.rules.joinable(pending.load)) return { load: pending.load, joined: true };
    return { load: await this.#start(key, start), joined: false };
  }

  #start(key: string, start: () => Promise<L>): Promise<L> {
    const pending: Pending<L> = { admitted: start() };
    this.#loads.set(key, pending);
    const forget = () => {
      if (this.#loads.get(key) === pending) this.#loads.delete(key);
    };
    pending.admitted.then((load) => {
      pending.load = load;
      this.rules.settled(load).then(forget, forget);
    }, forget);
    return pending.admitted;
  }
}
