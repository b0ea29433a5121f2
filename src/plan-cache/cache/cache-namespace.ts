import { Logger } from '@nestjs/common';
import type { CacheNamespaceSettings } from '../../config/app-config.js';
import { KeyVersions, type LocalStamp } from './key-versions.js';
import { LocalTier } from '../drivers/local-tier.js';
import { hitRatio, NamespaceStats, type NamespaceStatsSnapshot } from './namespace-counters.js';
import type { FlightResult } from '../locks/distributed-flight.js';
import type { RemoteStamp } from './remote-stamp.js';
import type { RemoteTier } from '../drivers/redis-tier.js';
import type { ValueCodec } from './value-codec.js';
import { SingleFlight } from '../locks/single-flight.js';

export interface NamespaceOptions extends CacheNamespaceSettings {
  /** A disabled namespace stores nothing and always loads (loads still coalesce). */
  enabled: boolean;
  /**
   * The longest a load may take, from its stamp to its write: a value loaded for longer is not
   * stored, and key versions older than this are forgotten.
   */
  loadDeadlineMs?: number;
  /** Distributed single flight: the lock's lease (renewed while its holder lives) and how long others wait. */
  flight?: { leaseMs: number; maxWaitMs: number };
}

export interface LoadResult<V> {
  value: V;
  /** The value came from a tier of this cache, not from the loader. */
  cached: boolean;
}

/** The versions a load began with; a value is stored only while they are current. */
export interface LoadStamp {
  local: LocalStamp;
  remote?: RemoteStamp;
}

/** Where a value went: every tier, this process only (Redis away or not stamped), or nowhere. */
export type SetOutcome = 'stored' | 'stored_locally' | 'refused' | 'not_storing';

const DEFAULT_FLIGHT = { leaseMs: 3_000, maxWaitMs: 10_000 };
const DEFAULT_LOAD_DEADLINE_MS = 30_000;

/**
 * One namespace of the plan cache (`plans`, `plan`): an in-process tier and, when Redis is
 * enabled, a shared one; single flight per key in this process and across instances; versioned
 * writes; invalidations shared over the bus; counters.
 *
 * Stale sets are refused in three steps: a load takes a stamp when it begins ({@link stamp}); a
 * write checks it against the versions in the same turn as it writes the in-process tier
 * ({@link set}); a read from Redis checks the envelope's stamp against Redis's versions
 * (RemoteTier.read), so an entry another instance wrote across an invalidation is never served.
 */
export class CacheNamespace<V> {
  readonly stats = new NamespaceStats();
  readonly #local?: LocalTier<V>;
  readonly #remote?: RemoteTier<V>;
  readonly #versions: KeyVersions;
  readonly #loads = new SingleFlight<{ value: V; shared: boolean }>();
  readonly #ttlMs: number;
  readonly #logger: Logger;

  constructor(
    readonly name: string,
    readonly options: NamespaceOptions,
    /** Made only for a namespace that stores something, so that a disabled one never touches Redis. */
    remote?: () => RemoteTier<V>,
  ) {
    this.#ttlMs = options.ttlSeconds * 1000;
    const loadDeadlineMs = options.loadDeadlineMs ?? DEFAULT_LOAD_DEADLINE_MS;
    this.#versions = new KeyVersions(loadDeadlineMs);
    this.#logger = new Logger(`CacheNamespace:${name}`);
    if (!options.enabled) return;
    if (options.maxEntries > 0) this.#local = new LocalTier<V>(options.maxEntries);
    this.#remote = remote?.();
    this.#remote?.attach({
      versionTtlMs: this.#ttlMs + loadDeadlineMs,
      listener: {
        onRemoteInvalidation: (keys) => {
          this.stats.busInvalidations += keys?.length ?? 1;
          if (keys) this.#dropLocally(keys);
          else this.#dropAllLocally();
        },
        onBusResync: () => {
          this.stats.busInvalidations++;
          this.#dropAllLocally();
        },
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
    return this.#local?.read(key)?.value;
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
   * Stores a loaded value unless its key was invalidated since `stamp` was taken (or the load
   * outlived the load deadline): in this process at once, in the same turn as the check, and in
   * Redis when the stamp has Redis's versions.
   */
  async set(key: string, value: V, stamp: LoadStamp): Promise<SetOutcome> {
    if (!this.storing) return 'not_storing';
    if (!this.#versions.mayStore(key, stamp.local)) {
      this.stats.refusedSets++;
      return 'refused';
    }
    const until = Date.now() + this.#ttlMs;
    if (this.#local) {
      if (this.#local.wouldEvict(key)) this.stats.evictions++;
      this.#local.write(key, { value, until });
    }
    this.stats.sets++;
    if (!this.#remote || !stamp.remote) return 'stored_locally';
    try {
      await this.#remote.write(key, value, stamp.remote, until);
      return 'stored';
    } catch (error) {
      // The in-process tier took it; Redis is away (the guard said why, the bus will resync).
      this.#logger.debug({ msg: 'Shared tier write failed', key, err: (error as Error).message });
      return 'stored_locally';
    }
  }

  /**
   * The shared tier's value for `key`, checked and copied into the in-process tier until the
   * shared entry expires; undefined without Redis, on a miss, or for anything malformed or outdated.
   */
  async readShared(key: string): Promise<V | undefined> {
    if (!this.#remote) return undefined;
    const local = this.#versions.stamp();
    const entry = await this.#remote.read(key);
    if (entry === undefined) return undefined;
    if (this.#local && this.#versions.mayStore(key, local)) this.#local.write(key, entry);
    return entry.value;
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
    if (!this.#remote) return { value: await load(), loadedHere: true };
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
    return held;
  }

  /** Drops every key of the namespace everywhere; answers how many entries this process held. */
  async clear(): Promise<number> {
    const held = this.#local?.size ?? 0;
    this.#dropAllLocally();
    this.stats.invalidations++;
    await this.#remote?.invalidateAll();
    return held;
  }

  /**
   * After a value was replaced in place (a regeneration), tells the other instances to drop their
   * copies. When the new value reached Redis the versions stay, since it is current; when only
   * this process has it, the key is invalidated in Redis, so that nobody takes the replaced
   * value from there.
   */
  async announceReplaced(key: string, outcome: SetOutcome): Promise<void> {
    if (outcome === 'stored') await this.#remote?.announce([key]);
    else if (outcome === 'stored_locally') await this.#remote?.invalidate([key]);
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
    return this.#local !== undefined || this.#remote !== undefined;
  }

  get redisEnabled(): boolean {
    return this.#remote !== undefined;
  }

  get redisConnected(): boolean {
    return this.#remote?.connected ?? false;
  }

  /** Entries in Redis as last counted, or null without it (or while it is away). */
  sharedSize(): number | null {
    return this.#remote?.size() ?? null;
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
      tracked_versions: this.#versions.size,
    };
  }

  async #fetch(key: string, load: () => Promise<V>): Promise<{ value: V; shared: boolean }> {
    const stamp = await this.stamp(key);
    const shared = await this.readShared(key);
    if (shared !== undefined) return { value: shared, shared: true };
    if (!this.#remote) {
      const value = await load();
      await this.set(key, value, stamp);
      return { value, shared: false };
    }
    const { value, loadedHere } = await this.once(key, load, this.#remote.codec);
    // Another instance loaded it and stored it in Redis: keep a copy here only.
    await this.set(key, value, loadedHere ? stamp : { local: stamp.local });
    return { value, shared: false };
  }

  #dropLocally(keys: readonly string[]): void {
    for (const key of keys) {
      this.#versions.invalidate(key);
      this.#loads.forget(key);
      this.#local?.delete(key);
    }
  }

  #dropAllLocally(): void {
    this.#versions.invalidateAll();
    this.#loads.forgetAll();
    this.#local?.clear();
  }
}
