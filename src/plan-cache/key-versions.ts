/**
 * Versions of the keys of one namespace, so that a value loaded before an invalidation
 * is never served after it.
 *
 * Every invalidation takes the next number of one counter: a key invalidation records it for
 * the key, a namespace clear raises the floor. A value is stamped with the counter as it was
 * when its load began, and is current while its stamp is at least the key's version and the
 * floor. Writes are asynchronous (they go through cache-manager's tiers), so the stamp is
 * checked when the value is read as well as when it is written.
 */
export class KeyVersions {
  #counter = 0;
  #floor = 0;
  readonly #versions = new Map<string, number>();

  /** The stamp for a load that begins now. */
  stamp(): number {
    return this.#counter;
  }

  isCurrent(key: string, stamp: number): boolean {
    return stamp >= this.#floor && stamp >= (this.#versions.get(key) ?? 0);
  }

  invalidate(key: string): void {
    this.#versions.set(key, ++this.#counter);
  }

  invalidateAll(): void {
    this.#floor = ++this.#counter;
    // Every recorded version is now at or below the floor: the floor alone decides.
    this.#versions.clear();
  }
}
