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

  invalidation(keys: readonly string[]): void {
    for (const key of keys) this.#keys.add(key);
  }

  clear(): void {
    this.#all = true;
  }

  announcement(keys: readonly string[]): void {
    for (const key of keys) this.#announced.add(key);
  }

  async replay(sink: ChangeSink): Promise<void> {
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
