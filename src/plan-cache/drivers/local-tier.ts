import { LRUCache } from 'lru-cache';
import type { CacheEntry } from '../cache/cache-entry.js';
import { BUSY_FREQUENCY, FrequencySketch } from '../cache/frequency-sketch.js';

export interface LocalTierOptions {
  /**
   * Admit a new key into a full tier only if it was asked for more often lately than the entry it
   * would push out (TinyLFU): a stream of keys asked for once cannot wash out the busy ones.
   */
  frequencyAdmission?: boolean;
}

/**
 * The in-process tier: lru-cache's LRU + TTL map, read and written synchronously, so that a write
 * checked against the key versions lands in the same turn as its check. Its recency list lives in
 * typed arrays: a hit allocates nothing and moves two indexes (docs/decisions.md, "The in-process
 * tier's layout", measured against cacheable's CacheableMemory, a Map and CLOCK).
 */
export class LocalTier<V> {
  /** Entries of any V: a tier of values of V is also one of unknown values (the namespaces' registry sees it so). */
  readonly #memory: LRUCache<string, CacheEntry<unknown>>;
  readonly #sketch?: FrequencySketch;

  constructor(
    readonly maxEntries: number,
    { frequencyAdmission = false }: LocalTierOptions = {},
  ) {
    // Date is the clock every expiry in the engine is computed with (and the one tests can move);
    // read on every check: caching it would arm a timer per millisecond.
    this.#memory = new LRUCache<string, CacheEntry<unknown>>({ max: maxEntries, perf: Date, ttlResolution: 0 });
    if (frequencyAdmission) this.#sketch = new FrequencySketch(maxEntries);
  }

  /** Counts a request for `key`, found here or not, for admission (nothing without it). */
  noteAccess(key: string): void {
    this.#sketch?.record(key);
  }

  /** Counts `key` as much asked for: someone chose to load it ahead of demand (a warmer). */
  noteBusy(key: string): void {
    this.#sketch?.record(key, BUSY_FREQUENCY);
  }

  read(key: string): CacheEntry<V> | undefined {
    return this.#memory.get(key) as CacheEntry<V> | undefined;
  }

  /**
   * Keeps `entry` until its `usableUntil`, unless admission turns a new key away; answers whether
   * it was kept. An entry already past its end is not kept.
   */
  write(key: string, entry: CacheEntry<V>, now = Date.now()): boolean {
    const ttlMs = entry.usableUntil - now;
    if (ttlMs <= 0 || !this.#admits(key)) {
      this.#memory.delete(key);
      return false;
    }
    this.#memory.set(key, entry, { ttl: ttlMs });
    return true;
  }

  /** Whether storing `key` now pushes the least recently used entry out. */
  wouldEvict(key: string): boolean {
    return this.#memory.size >= this.maxEntries && !this.#memory.has(key);
  }

  /** A key already here is replaced in place; a new one in a full tier must be asked for more than the LRU entry. */
  #admits(key: string): boolean {
    if (!this.#sketch || !this.wouldEvict(key)) return true;
    const victim = this.#leastRecent();
    return victim === undefined || this.#sketch.frequency(key) > this.#sketch.frequency(victim);
  }

  #leastRecent(): string | undefined {
    for (const key of this.#memory.rkeys()) return key;
    return undefined;
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
