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
    const value = this.peek(key);
    if (value !== undefined) this.stats.l1Hits++;
    return value;
  }

  /** The current in-process value, without counting: for callers that judge the value first. */
  peek(key: string): V | undefined {
    const entry = this.#local?.read(key);
    if (entry === undefined) return undefined;
    if (!this.#versions.isCurrent(key, entry.stamp)) {
      this.#local?.deleteNow(key);
      return undefined;
    }
    return entry.value;
  }

  /** The stamp of a load that begins now; pass it to {@link set} when the load is done. */
  stamp(): number {
    return this.#versions.stamp();
  }

  /**
   * Stores a loaded value unless its key was invalidated since `stamp` was taken; answers whether
   * it was stored. `ttlMs` overrides the namespace's TTL for this entry.
   */
  async set(key: string, value: V, stamp: number, ttlMs = this.#ttlMs): Promise<boolean> {
    if (!this.#tiers || !this.#local) return false;
    if (!this.#versions.isCurrent(key, stamp)) {
      this.stats.refusedSets++;
      return false;
    }
    if (this.#local.wouldEvict(key)) this.stats.evictions++;
    const entry: StampedEntry<V> = { value, stamp };
    await this.#tiers.set(key, entry, ttlMs);
    this.stats.sets++;
    return true;
  }

  /** Whether the namespace keeps anything at all. */
  get storing(): boolean {
    return this.#tiers !== undefined;
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

  /**
   * Drops the keys and makes loads in flight for them unable to store their result; answers how
   * many of them the in-process tier held.
   */
  async invalidate(keys: readonly string[]): Promise<number> {
    let held = 0;
    for (const key of keys) {
      if (this.peek(key) !== undefined) held++;
      this.#versions.invalidate(key);
      this.#loads.forget(key);
    }
    this.stats.invalidations += keys.length;
    await this.#tiers?.mdel([...keys]);
    return held;
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
    await this.set(key, value, stamp);
    return value;
  }
}
