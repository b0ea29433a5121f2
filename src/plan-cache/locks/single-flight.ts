/**
 * Runs one load per key at a time; callers asking for a key already loading share its promise.
 */
export class SingleFlight<V> {
  readonly #inFlight = new Map<string, { promise: Promise<V>; startedAt: number }>();

  /**
   * `joined` tells whether the caller rode on a load another caller started; with
   * `joinYoungerThanMs`, an older load is left to its callers and a fresh one started.
   */
  run(key: string, load: () => Promise<V>, joinYoungerThanMs?: number): { promise: Promise<V>; joined: boolean } {
    const running = this.#inFlight.get(key);
    if (running && (joinYoungerThanMs === undefined || Date.now() - running.startedAt < joinYoungerThanMs))
      return { promise: running.promise, joined: true };
    const promise = load().finally(() => {
      if (this.#inFlight.get(key)?.promise === promise) this.#inFlight.delete(key);
    });
    this.#inFlight.set(key, { promise, startedAt: Date.now() });
    return { promise, joined: false };
  }

  /**
   * Lets the next caller start a fresh load even though one is running: after an invalidation,
   * a load that began before it must not answer requests that began after it.
   */
  forget(key: string): void {
    this.#inFlight.delete(key);
  }

  forgetAll(): void {
    this.#inFlight.clear();
  }
}
