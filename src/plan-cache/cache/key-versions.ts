/** The version counter as it was when a load began, and when (monotonic milliseconds). */
export interface LocalStamp {
  readonly n: number;
  readonly at: number;
}

/**
 * Versions of the keys of one namespace in this process, so that a value loaded before an
 * invalidation is never stored after it (the stale set).
 *
 * Every invalidation takes the next number of one counter: a key invalidation records it for
 * the key, a namespace clear raises the floor. A load is stamped with the counter when it begins
 * and may store its value only while its stamp is at least the key's version and the floor.
 *
 * Versions are forgotten once they are older than the horizon, the longest a load may take:
 * a load stamped before a forgotten version is older than the horizon too, and is refused by
 * its age alone. So the map holds only the keys invalidated within the horizon, however many
 * keys the bus announces.
 */
export class KeyVersions {
  #counter = 0;
  #floor = 0;
  /** In order of invalidation, oldest first (a key invalidated again moves to the end). */
  readonly #versions = new Map<string, LocalStamp>();

  constructor(
    readonly horizonMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The stamp for a load that begins now. */
  stamp(): LocalStamp {
    return { n: this.#counter, at: this.now() };
  }

  /** Whether a value loaded under `stamp` may be stored now. */
  mayStore(key: string, stamp: LocalStamp): boolean {
    if (this.now() - stamp.at > this.horizonMs) return false;
    return stamp.n >= this.#floor && stamp.n >= (this.#versions.get(key)?.n ?? 0);
  }

  invalidate(key: string): void {
    const now = this.now();
    this.#versions.delete(key);
    this.#versions.set(key, { n: ++this.#counter, at: now });
    for (const [oldest, version] of this.#versions) {
      if (now - version.at <= this.horizonMs) break;
      this.#versions.delete(oldest);
    }
  }

  invalidateAll(): void {
    this.#floor = ++this.#counter;
    // Every recorded version is now at or below the floor: the floor alone decides.
    this.#versions.clear();
  }

  /** Keys with a recorded version. */
  get size(): number {
    return this.#versions.size;
  }
}
