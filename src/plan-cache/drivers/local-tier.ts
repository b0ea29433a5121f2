import { CacheableMemory } from 'cacheable';

/** What the in-process tier keeps under a key: the value and the moment it stops being kept. */
export interface LocalEntry<V> {
  readonly value: V;
  /** Epoch milliseconds; a copy of a shared entry expires with it. */
  readonly until: number;
}

/**
 * The in-process tier: cacheable's LRU + TTL `CacheableMemory`, read and written synchronously,
 * so that a write checked against the key versions lands in the same turn as its check.
 */
export class LocalTier<V> {
  readonly #memory: CacheableMemory;

  constructor(readonly maxEntries: number) {
    // Entries are immutable once stored; cloning them on every read would only cost time.
    // One store: sharding the keys over several maps would only add a hash to every read.
    this.#memory = new CacheableMemory({ lruSize: maxEntries, useClone: false, storeHashSize: 1 });
  }

  read(key: string): LocalEntry<V> | undefined {
    return this.#memory.get<LocalEntry<V>>(key);
  }

  /** Keeps `entry` until its `until`; an entry already past it is not kept. */
  write(key: string, entry: LocalEntry<V>, now = Date.now()): void {
    const ttlMs = entry.until - now;
    if (ttlMs > 0) this.#memory.set(key, entry, ttlMs);
    else this.#memory.delete(key);
  }

  /** Whether storing `key` now pushes the least recently used entry out. */
  wouldEvict(key: string): boolean {
    return this.#memory.size >= this.maxEntries && !this.#memory.has(key);
  }

  delete(key: string): void {
    this.#memory.delete(key);
  }

  clear(): void {
    this.#memory.clear();
  }

  get size(): number {
    return this.#memory.size;
  }
}
