/** What a namespace owes Redis and the other instances: the changes it could not hand over yet. */
export interface ChangeSink {
  invalidate(keys: readonly string[]): Promise<void>;
  invalidateAll(): Promise<void>;
  announce(keys: readonly string[]): Promise<void>;
}

/**
 * Changes Redis or the bus could not take while it was away (invalidations, announcements of
 * replaced values), kept until it is back and then replayed, so that no instance goes on serving
 * a value changed meanwhile. A clear supersedes every key change before it.
 */
export class PendingChanges {
  readonly #keys = new Set<string>();
  readonly #announced = new Set<string>();
  #all = false;
  #replaying?: Promise<void>;

  /** Nothing owed, and no replay under way (whose changes come back here if it fails). */
  get settled(): boolean {
    return !this.#all && this.#keys.size === 0 && this.#announced.size === 0 && this.#replaying === undefined;
  }

  invalidation(keys: readonly string[]): void {
    for (const key of keys) this.#keys.add(key);
  }

  clear(): void {
    this.#all = true;
  }

  announcement(keys: readonly string[]): void {
    for (const key of keys) this.#announced.add(key);
  }

  /** Hands the changes over; a replay asked for while one runs is that one. */
  replay(sink: ChangeSink): Promise<void> {
    this.#replaying ??= this.#replayOnce(sink).finally(() => (this.#replaying = undefined));
    return this.#replaying;
  }

  async #replayOnce(sink: ChangeSink): Promise<void> {
    if (this.#all) {
      this.#all = false;
      this.#keys.clear();
      this.#announced.clear();
      await sink.invalidateAll();
    }
    if (this.#keys.size > 0) {
      const keys = [...this.#keys];
      this.#keys.clear();
      await sink.invalidate(keys);
    }
    if (this.#announced.size > 0) {
      const keys = [...this.#announced];
      this.#announced.clear();
      await sink.announce(keys);
    }
  }
}
