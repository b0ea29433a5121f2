import { createCache, type Cache } from 'cache-manager';
import type { CacheNamespaceSettings } from '../config/app-config.js';
import { KeyVersions } from './key-versions.js';
import { LocalTier, type StampedEntry } from './local-tier.js';
import { hitRatio, NamespaceStats, type NamespaceStatsSnapshot } from './namespace-stats.js';
import { SingleFlight } from './single-flight.js';

export interface NamespaceOptions extends CacheNamespaceSettings {
  /** A disabled namespace stores nothing and always loads (loads still coalesce). */
  enabled: boolean;
}

export interface LoadResult<V> {
  value: V;
  /** The value came from a tier of this cache, not from the loader. */
  cached: boolean;
}

/**
 * One namespace of the plan cache (`plans`, `plan`): tiers composed by cache-manager,
 * single flight per key, versioned writes, counters.
 */
export class CacheNamespace<V> {
  readonly stats = new NamespaceStats();
  readonly #local?: LocalTier<V>;
  readonly #tiers?: Cache;
  readonly #versions = new KeyVersions();
  readonly #loads = new SingleFlight<V>();
  readonly #ttlMs: number;

  constructor(
    readonly name: string,
    readonly options: NamespaceOptions,
  ) {
    this.#ttlMs = options.ttlSeconds * 1000;
    if (options.enabled && options.maxEntries > 0) {
      this.#local = new LocalTier<V>(options.maxEntries);
      this.#tiers = createCache({ stores: [this.#local.keyv], ttl: this.#ttlMs });
    }
  }

  /** The hot path: a synchronous in-process read that counts a hit and nothing else. */
  get(key: string): V | undefined {
    const entry = this.#local?.read(key);
    if (entry === undefined) return undefined;
    if (!this.#versions.isCurrent(key, entry.stamp)) {
      this.#local?.deleteNow(key);
      return undefined;
    }
    this.stats.l1Hits++;
    return entry.value;
  }

  /**
   * The cached value, or the loader's. Concurrent misses of one key run the loader once; a value
   * loaded across an invalidation of its key is returned to its callers but never stored.
   */
  async getOrLoad(key: string, load: () => Promise<V>): Promise<LoadResult<V>> {
    const cached = this.get(key);
    if (cached !== undefined) return { value: cached, cached: true };
    this.stats.misses++;
    const { promise, joined } = this.#loads.run(key, () => this.#loadAndStore(key, load));
    if (joined) this.stats.coalesced++;
    return { value: await promise, cached: false };
  }

  /** Drops the keys and makes loads in flight for them unable to store their result. */
  async invalidate(keys: readonly string[]): Promise<number> {
    for (const key of keys) {
      this.#versions.invalidate(key);
      this.#loads.forget(key);
    }
    this.stats.invalidations += keys.length;
    await this.#tiers?.mdel([...keys]);
    return keys.length;
  }

  /** Drops every key of the namespace; answers how many entries the in-process tier held. */
  async clear(): Promise<number> {
    const held = this.#local?.size ?? 0;
    this.#versions.invalidateAll();
    this.#loads.forgetAll();
    this.stats.invalidations++;
    await this.#tiers?.clear();
    return held;
  }

  snapshot(): NamespaceStatsSnapshot {
    const { stats } = this;
    return {
      enabled: this.options.enabled,
      local_cache_size: this.#local?.size ?? 0,
      local_max_size: this.#local?.maxEntries ?? 0,
      ttl_seconds: this.options.ttlSeconds,
      hits: stats.hits,
      misses: stats.misses,
      hit_ratio: hitRatio(stats.hits, stats.misses),
      l1_hits: stats.l1Hits,
      l2_hits: stats.l2Hits,
      stale_hits: stats.staleHits,
      sets: stats.sets,
      refused_sets: stats.refusedSets,
      skipped_fast: stats.skippedFast,
      coalesced: stats.coalesced,
      evictions: stats.evictions,
      invalidations: stats.invalidations,
    };
  }

  async #loadAndStore(key: string, load: () => Promise<V>): Promise<V> {
    const stamp = this.#versions.stamp();
    const value = await load();
    await this.#store(key, value, stamp);
    return value;
  }

  async #store(key: string, value: V, stamp: number): Promise<void> {
    if (!this.#tiers || !this.#local) return;
    if (!this.#versions.isCurrent(key, stamp)) {
      this.stats.refusedSets++;
      return;
    }
    if (this.#local.wouldEvict(key)) this.stats.evictions++;
    const entry: StampedEntry<V> = { value, stamp };
    await this.#tiers.set(key, entry, this.#ttlMs);
    this.stats.sets++;
  }
}
