/**
 * Runs one load per key at a time; callers asking for a key already loading share its promise.
 */
export class SingleFlight<V> {
  readonly #inFlight = new Map<string, Promise<V>>();

  /** `joined` tells whether the caller rode on a load another caller started. */
  run(key: string, load: () => Promise<V>): { promise: Promise<V>; joined: boolean } {
    const running = this.#inFlight.get(key);
    if (running) return { promise: running, joined: true };
    const promise = load().finally(() => {
      if (this.#inFlight.get(key) === promise) this.#inFlight.delete(key);
    });
    this.#inFlight.set(key, promise);
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
