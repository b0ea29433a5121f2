import { CacheableMemory, KeyvCacheableMemory } from 'cacheable';
import { Keyv } from 'keyv';

import type { RemoteStamp } from './redis/remote-stamp.js';

/**
 * What the tiers keep under a key: the value and the stamps of the load that made it, the local
 * one (checked in this process) and, with Redis, the remote one (checked by every instance).
 */
export interface StampedEntry<V> {
  readonly value: V;
  readonly stamp: number;
  readonly remote?: RemoteStamp;
}

/** How Keyv lays an entry into its store (serialization is off for the in-process tier). */
interface KeyvRecord<V> {
  value: StampedEntry<V>;
  expires?: number;
}

/**
 * The in-process tier: cacheable's LRU + TTL `CacheableMemory`, behind Keyv for cache-manager.
 * Reads on the hot path go to the memory store directly and synchronously; writes, deletes and
 * clears go through cache-manager so that every tier sees them.
 */
export class LocalTier<V> {
  readonly keyv: Keyv;
  readonly #memory: CacheableMemory;

  constructor(readonly maxEntries: number) {
    // Entries are immutable once stored; cloning them on every read would only cost time.
    // One store: sharding the keys over several maps would only add a hash to every read.
    const adapter = new KeyvCacheableMemory({ lruSize: maxEntries, useClone: false, storeHashSize: 1 });
    this.keyv = new Keyv({ store: adapter, useKeyPrefix: false });
    this.keyv.serialize = undefined;
    this.keyv.deserialize = undefined;
    // Keyv hands the adapter its namespace, which selects the memory store: take it only now.
    this.#memory = adapter.store;
  }

  read(key: string): StampedEntry<V> | undefined {
    return this.#memory.get<KeyvRecord<V>>(key)?.value;
  }

  /** Whether storing `key` now pushes the least recently used entry out. */
  wouldEvict(key: string): boolean {
    return this.#memory.size >= this.maxEntries && !this.#memory.has(key);
  }

  deleteNow(key: string): void {
    this.#memory.delete(key);
  }

  clearNow(): void {
    this.#memory.clear();
  }

  get size(): number {
    return this.#memory.size;
  }
}
