import { Logger } from '@nestjs/common';
import { createCache, type Cache } from 'cache-manager';
import type { CacheNamespaceSettings } from '../config/app-config.js';
import { KeyVersions } from './key-versions.js';
import { LocalTier, type StampedEntry } from './local-tier.js';
import { hitRatio, NamespaceStats, type NamespaceStatsSnapshot } from './namespace-stats.js';
import type { FlightResult } from './redis/distributed-flight.js';
import type { RemoteStamp } from './redis/remote-stamp.js';
import type { RemoteTier } from './redis/remote-tier.js';
import type { ValueCodec } from './redis/value-codec.js';
import { SingleFlight } from './single-flight.js';

export interface NamespaceOptions extends CacheNamespaceSettings {
  /** A disabled namespace stores nothing and always loads (loads still coalesce). */
  enabled: boolean;
  /** Distributed single flight: lock lifetime and how long other instances wait for the holder. */
  flight?: { lockTtlMs: number; maxWaitMs: number };
}

export interface LoadResult<V> {
  value: V;
  /** The value came from a tier of this cache, not from the loader. */
  cached: boolean;
}

/** The versions a load began with; a value is stored only while they are current. */
export interface LoadStamp {
  local: number;
  remote?: RemoteStamp;
}

const DEFAULT_FLIGHT = { lockTtlMs: 5_000, maxWaitMs: 10_000 };

/**
 * One namespace of the plan cache (`plans`, `plan`): an in-process tier and, when Redis is
 * enabled, a shared one, composed by cache-manager; single flight per key in this process and
 * across instances; versioned writes; invalidations shared over the bus; counters.
 */
export class CacheNamespace<V> {
  readonly stats = new NamespaceStats();
  readonly #local?: LocalTier<V>;
  readonly #tiers?: Cache;
  readonly #remote?: RemoteTier<V>;
  readonly #versions = new KeyVersions();
  readonly #loads = new SingleFlight<{ value: V; shared: boolean }>();
  readonly #ttlMs: number;
  readonly #logger: Logger;

  constructor(
    readonly name: string,
    readonly options: NamespaceOptions,
    remote?: RemoteTier<V>,
  ) {
    this.#ttlMs = options.ttlSeconds * 1000;
    this.#logger = new Logger(`CacheNamespace:${name}`);
    if (!options.enabled) return;
    if (options.maxEntries > 0) this.#local = new LocalTier<V>(options.maxEntries);
    this.#remote = remote;
    const stores = [this.#local?.keyv, remote?.keyv].filter((store) => store !== undefined);
    if (stores.length > 0) this.#tiers = createCache({ stores, ttl: this.#ttlMs });
    remote?.listen({
      onRemoteInvalidation: (keys) => {
        this.stats.busInvalidations += keys?.length ?? 1;
        if (keys) this.#dropLocally(keys);
        else this.#dropAllLocally();
      },
      onBusResync: () => {
        this.stats.busInvalidations++;
        this.#dropAllLocally();
      },
    });
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

  /**
   * The cached value (in-process, then shared), or the loader's. Concurrent misses of one key run
   * the loader once in this process, and with Redis once across instances. A value loaded across
   * an invalidation of its key is returned to its callers but never stored.
   */
  async getOrLoad(key: string, load: () => Promise<V>): Promise<LoadResult<V>> {
    const cached = this.get(key);
    if (cached !== undefined) return { value: cached, cached: true };
    const { promise, joined } = this.#loads.run(key, () => this.#fetch(key, load));
    if (joined) this.stats.coalesced++;
    const { value, shared } = await promise;
    if (shared) this.stats.l2Hits++;
    else this.stats.misses++;
    return { value, cached: shared };
  }

  /** The stamp of a load that begins now; pass it to {@link set} when the load is done. */
  async stamp(key: string): Promise<LoadStamp> {
    const local = this.#versions.stamp();
    return { local, remote: await this.#remote?.stamp(key) };
  }

  /**
   * Stores a loaded value in every tier unless its key was invalidated since `stamp` was taken;
   * the shared tier only when the stamp has Redis's versions. `ttlMs` overrides the namespace TTL.
   */
  async set(key: string, value: V, stamp: LoadStamp, ttlMs = this.#ttlMs): Promise<boolean> {
    if (!this.#tiers) return false;
    if (!this.#versions.isCurrent(key, stamp.local)) {
      this.stats.refusedSets++;
      return false;
    }
    if (this.#local?.wouldEvict(key)) this.stats.evictions++;
    const entry: StampedEntry<V> = { value, stamp: stamp.local, remote: stamp.remote };
    try {
      if (stamp.remote) await this.#tiers.set(key, entry, ttlMs);
      else await this.#local?.keyv.set(key, entry, ttlMs);
    } catch (error) {
      // The in-process tier took it; Redis is away (the guard said why, the bus will resync).
      this.#logger.debug({ msg: 'Shared tier write failed', key, err: (error as Error).message });
    }
    this.stats.sets++;
    return true;
  }

  /**
   * The shared tier's value for `key`, checked and copied into the in-process tier; undefined
   * without Redis, on a miss, or for anything malformed or outdated.
   */
  async readShared(key: string): Promise<V | undefined> {
    if (!this.#remote || !this.#tiers) return undefined;
    const local = this.#versions.stamp();
    let raw: unknown;
    try {
      raw = await this.#remote.keyv.get(key);
    } catch {
      return undefined;
    }
    const value = await this.#remote.accept(key, raw);
    if (value !== undefined && this.#local && this.#versions.isCurrent(key, local)) {
      const entry: StampedEntry<V> = { value, stamp: local };
      await this.#local.keyv.set(key, entry, this.#ttlMs);
    }
    return value;
  }

  /**
   * Runs `load` once across instances when Redis is there (others wait and take its result),
   * else simply runs it. `codec` carries the result between instances.
   */
  async once<T>(
    key: string,
    load: () => Promise<T>,
    codec: ValueCodec<T>,
    signal?: AbortSignal,
  ): Promise<FlightResult<T>> {
    if (!this.#remote || !this.#tiers) return { value: await load(), loadedHere: true };
    return this.#remote.flight(key, load, codec, { ...DEFAULT_FLIGHT, ...this.options.flight, signal });
  }

  /**
   * Drops the keys everywhere and makes loads in flight for them unable to store their result;
   * answers how many of them the in-process tier held.
   */
  async invalidate(keys: readonly string[]): Promise<number> {
    const held = keys.filter((key) => this.peek(key) !== undefined).length;
    this.#dropLocally(keys);
    this.stats.invalidations += keys.length;
    await this.#remote?.invalidate(keys);
    await this.#tiers?.mdel([...keys]).catch(() => undefined);
    return held;
  }

  /** Drops every key of the namespace everywhere; answers how many entries this process held. */
  async clear(): Promise<number> {
    const held = this.#local?.size ?? 0;
    this.#dropAllLocally();
    this.stats.invalidations++;
    await this.#remote?.invalidateAll();
    // The generation bump already hides every shared entry; deleting them is only housekeeping.
    void this.#remote?.keyv.clear().catch(() => undefined);
    return held;
  }

  /**
   * After a value was replaced in place (a regeneration), tells the other instances to drop their
   * copies; the versions stay, since the new value is current.
   */
  async announceReplaced(keys: readonly string[]): Promise<void> {
    await this.#remote?.announce(keys);
  }

  /** Keys requested in this namespace, for the shared popularity ranking (no-op without Redis). */
  recordDemand(counts: ReadonlyMap<string, number>): Promise<void> {
    return this.#remote?.recordDemand(counts) ?? Promise.resolve();
  }

  /**
   * Claims the background refresh of `key` for `ttlMs` across instances; true when this instance
   * may refresh it (always without Redis, or when Redis cannot say: the single flight still holds).
   */
  claimRefresh(key: string, ttlMs: number): Promise<boolean> {
    return this.#remote?.claimRefresh(key, ttlMs) ?? Promise.resolve(true);
  }

  releaseRefresh(key: string): Promise<void> {
    return this.#remote?.releaseRefresh(key) ?? Promise.resolve();
  }

  /** Copies the most requested shared entries into this process; answers how many it copied. */
  async warmFromShared(limit: number): Promise<number> {
    if (!this.#remote || !this.#local) return 0;
    let warmed = 0;
    for (const key of await this.#remote.hottest(Math.min(limit, this.#local.maxEntries))) {
      if ((await this.readShared(key)) !== undefined) warmed++;
    }
    return warmed;
  }

  /** Whether the namespace keeps anything at all. */
  get storing(): boolean {
    return this.#tiers !== undefined;
  }

  get redisEnabled(): boolean {
    return this.#remote !== undefined;
  }

  get redisConnected(): boolean {
    return this.#remote?.connected ?? false;
  }

  /** Entries in Redis, or null without it. */
  sharedSize(): Promise<number | null> {
    return this.#remote?.size() ?? Promise.resolve(null);
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

  async #fetch(key: string, load: () => Promise<V>): Promise<{ value: V; shared: boolean }> {
    const stamp = await this.stamp(key);
    const shared = await this.readShared(key);
    if (shared !== undefined) return { value: shared, shared: true };
    if (!this.#remote || !this.#tiers) {
      const value = await load();
      await this.set(key, value, stamp);
      return { value, shared: false };
    }
    const { value, loadedHere } = await this.once(key, load, this.#remote.codec);
    // Another instance loaded it and stored it in Redis: keep a copy here under our local stamp.
    await this.set(key, value, loadedHere ? stamp : { local: stamp.local });
    return { value, shared: false };
  }

  #dropLocally(keys: readonly string[]): void {
    for (const key of keys) {
      this.#versions.invalidate(key);
      this.#loads.forget(key);
      this.#local?.deleteNow(key);
    }
  }

  #dropAllLocally(): void {
    this.#versions.invalidateAll();
    this.#loads.forgetAll();
    this.#local?.clearNow();
  }
}
