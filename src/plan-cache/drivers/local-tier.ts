import { CacheableMemory } from 'cacheable';
import type { CacheEntry } from '../cache/cache-entry.js';

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

  read(key: string): CacheEntry<V> | undefined {
    return this.#memory.get<CacheEntry<V>>(key);
  }

  /** Keeps `entry` until its `usableUntil`; an entry already past it is not kept. */
  write(key: string, entry: CacheEntry<V>, now = Date.now()): void {
    const ttlMs = entry.usableUntil - now;
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
