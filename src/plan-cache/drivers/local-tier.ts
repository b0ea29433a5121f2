import { LRUCache } from 'lru-cache';
import type { CacheEntry } from '../cache/cache-entry.js';

/**
 * The in-process tier: lru-cache's LRU + TTL map, read and written synchronously, so that a write
 * checked against the key versions lands in the same turn as its check. Its recency list lives in
 * typed arrays: a hit allocates nothing and moves two indexes (docs/decisions.md, "The in-process
 * tier's layout", measured against cacheable's CacheableMemory, a Map and CLOCK).
 */
export class LocalTier<V> {
  /** Entries of any V: a tier of values of V is also one of unknown values (the namespaces' registry sees it so). */
  readonly #memory: LRUCache<string, CacheEntry<unknown>>;

  constructor(readonly maxEntries: number) {
    // Date is the clock every expiry in the engine is computed with (and the one tests can move);
    // read on every check: caching it would arm a timer per millisecond.
    this.#memory = new LRUCache<string, CacheEntry<unknown>>({ max: maxEntries, perf: Date, ttlResolution: 0 });
  }

  read(key: string): CacheEntry<V> | undefined {
    return this.#memory.get(key) as CacheEntry<V> | undefined;
  }

  /** Keeps `entry` until its `usableUntil`; an entry already past it is not kept. */
  write(key: string, entry: CacheEntry<V>, now = Date.now()): void {
    const ttlMs = entry.usableUntil - now;
    if (ttlMs > 0) this.#memory.set(key, entry, { ttl: ttlMs });
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
