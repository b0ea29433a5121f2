import { Logger } from '@nestjs/common';
import type { NamespaceStatsDto } from '../stats/namespace-stats.dto.js';
import { LocalTier } from '../drivers/local-tier.js';
import type { RedisTier } from '../drivers/redis-tier.js';
import { Claims } from '../locks/claims.js';
import type { FlightResult } from '../locks/distributed-flight.js';
import { SingleFlight } from '../locks/single-flight.js';
import { EngineTunables } from '../tunables.js';
import { newEntry, type CacheEntry, type EntryLife } from './cache-entry.js';
import { hitRatio, NamespaceCounters } from './namespace-counters.js';
import type { LoadResult, NamespaceOptions, SetOutcome } from './namespace-options.js';
import { StaleSetGuard, type LoadStamp } from './stale-set-guard.js';
import type { ValueCodec } from './value-codec.js';

/**
 * One namespace of the cache: an in-process tier and, when Redis is enabled, a shared one; single
 * flight per key in this process and across instances; writes under the {@link StaleSetGuard};
 * invalidations shared over the bus; its own counters.
 */
export class CacheNamespace<V> {
  /** Claims across instances on keys of this namespace (e.g. who refreshes an entry). */
  readonly claims: Claims;
  readonly #counters = new NamespaceCounters();
  readonly #local?: LocalTier<V>;
  readonly #remote?: RedisTier<V>;
  readonly #staleSets: StaleSetGuard;
  readonly #loads = new SingleFlight<{ value: V; shared: boolean }>();
  readonly #ttlMs: number;
  readonly #logger: Logger;

  constructor(
    readonly name: string,
    readonly options: NamespaceOptions,
    /** Made only for a namespace that stores something, so that a disabled one never touches Redis. */
    remote?: () => RedisTier<V>,
  ) {
    this.#ttlMs = options.ttlSeconds * 1000;
    const loadDeadlineMs = options.loadDeadlineMs ?? EngineTunables.namespace.loadDeadlineMs;
    this.#logger = new Logger(`CacheNamespace:${name}`);
    if (options.enabled) {
      if (options.maxEntries > 0) this.#local = new LocalTier<V>(options.maxEntries);
      this.#remote = remote?.();
    }
    const versionTtlMs = this.#ttlMs + loadDeadlineMs;
    const redis = this.#remote && { connection: this.#remote.redis, namespace: name, versionTtlMs };
    this.#staleSets = new StaleSetGuard(loadDeadlineMs, redis);
    this.claims = new Claims(this.#remote?.redis);
    this.#remote?.attach({
      versionTtlMs,
      guard: this.#staleSets,
      listener: {
        onRemoteInvalidation: (keys) => {
          this.#counters.busInvalidations += keys?.length ?? 1;
          if (keys) this.#dropLocally(keys);
          else this.#dropAllLocally();
        },
        onBusResync: () => {
          this.#counters.busInvalidations++;
          this.#dropAllLocally();
        },
      },
    });
  }

  /** The namespace's counters, read-only: count through {@link count}. */
  get counters(): Readonly<NamespaceCounters> {
    return this.#counters;
  }

  /** For a domain that judges its entries itself (freshness by its own policy, a fallback). */
  get count(): Pick<NamespaceCounters, 'hit' | 'miss' | 'staleHit' | 'skipped' | 'joined'> {
    return this.#counters;
  }

  /** The hot path: a synchronous in-process read of a fresh value that counts a hit and nothing else. */
  get(key: string, now = Date.now()): V | undefined {
    const entry = this.#local?.read(key);
    if (entry === undefined || now >= entry.freshUntil) return undefined;
    this.#counters.l1Hits++;
    return entry.value;
  }

  /** The in-process value, fresh or in its grace, without counting. */
  peek(key: string): V | undefined {
    return this.#local?.read(key)?.value;
  }

  /** The in-process entry with its life, without counting. */
  entry(key: string): CacheEntry<V> | undefined {
    return this.#local?.read(key);
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
    if (joined) this.#counters.joined();
    const { value, shared } = await promise;
    if (shared) this.#counters.hit('l2');
    else this.#counters.miss();
    return { value, cached: shared };
  }

  /** The stamp of a load that begins now; pass it to {@link set} when the load is done. */
  stamp(key: string): Promise<LoadStamp> {
    return this.#staleSets.stamp(key);
  }

  /**
   * Stores a loaded value unless its key was invalidated since `stamp` was taken (or the load
   * outlived the load deadline): in this process at once, in the same turn as the check, and in
   * Redis when the stamp has Redis's versions. `life` defaults to the namespace TTL, never beyond it.
   */
  async set(key: string, value: V, stamp: LoadStamp, life?: Partial<EntryLife>): Promise<SetOutcome> {
    if (!this.storing) return 'not_storing';
    if (!this.#staleSets.mayStoreHere(key, stamp)) {
      this.#counters.refusedSets++;
      return 'refused';
    }
    const usableMs = Math.min(life?.usableMs ?? this.#ttlMs, this.#ttlMs);
    const entry = newEntry(value, { freshMs: Math.min(life?.freshMs ?? usableMs, usableMs), usableMs });
    if (this.#local) {
      if (this.#local.wouldEvict(key)) this.#counters.evictions++;
      this.#local.write(key, entry);
    }
    const outcome = await this.#storeShared(key, entry, stamp);
    if (outcome === 'refused') {
      // Another instance invalidated the key meanwhile: the copy here is outdated too.
      this.#local?.delete(key);
      this.#counters.refusedSets++;
    } else this.#counters.sets++;
    return outcome;
  }

  /**
   * The shared tier's entry for `key`, checked and copied into the in-process tier until the
   * shared entry ends; undefined without Redis, on a miss, or for anything malformed or outdated.
   */
  async readShared(key: string): Promise<CacheEntry<V> | undefined> {
    if (!this.#remote) return undefined;
    const stamp = this.#staleSets.stampHere();
    const entry = await this.#remote.read(key);
    if (entry === undefined) return undefined;
    if (this.#local && this.#staleSets.mayStoreHere(key, stamp)) this.#local.write(key, entry);
    return entry;
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
    const flight = { ...EngineTunables.namespace.flight, ...this.options.flight, signal };
    return this.#remote.flight(key, load, codec, flight);
  }

  /**
   * Drops the keys everywhere and makes loads in flight for them unable to store their result;
   * answers how many of them the in-process tier held.
   */
  async invalidate(keys: readonly string[]): Promise<number> {
    const held = keys.filter((key) => this.peek(key) !== undefined).length;
    this.#dropLocally(keys);
    this.#counters.invalidations += keys.length;
    await this.#remote?.invalidate(keys);
    return held;
  }

  /** Drops every key of the namespace everywhere; answers how many entries this process held. */
  async clear(): Promise<number> {
    const held = this.#local?.size ?? 0;
    this.#dropAllLocally();
    this.#counters.invalidations++;
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
    return this.#remote?.demand.record(counts) ?? Promise.resolve();
  }

  /** Copies the most requested shared entries into this process; answers how many it copied. */
  async warmFromShared(limit: number): Promise<number> {
    if (!this.#remote || !this.#local) return 0;
    let warmed = 0;
    for (const key of await this.#remote.demand.hottest(Math.min(limit, this.#local.maxEntries))) {
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

  /** Entries in Redis as last counted, or null without it (or while it is away). */
  sharedSize(): number | null {
    return this.#remote?.size() ?? null;
  }

  snapshot(): NamespaceStatsDto {
    const counters = this.#counters;
    return {
      enabled: this.options.enabled,
      local_cache_size: this.#local?.size ?? 0,
      local_max_size: this.#local?.maxEntries ?? 0,
      ttl_seconds: this.options.ttlSeconds,
      hits: counters.hits,
      misses: counters.misses,
      hit_ratio: hitRatio(counters.hits, counters.misses),
      l1_hits: counters.l1Hits,
      l2_hits: counters.l2Hits,
      stale_hits: counters.staleHits,
      sets: counters.sets,
      refused_sets: counters.refusedSets,
      skipped_fast: counters.skippedFast,
      coalesced: counters.coalesced,
      evictions: counters.evictions,
      invalidations: counters.invalidations,
      tracked_versions: this.#staleSets.trackedVersions,
      redis_cache_size: this.sharedSize(),
    };
  }

  async #fetch(key: string, load: () => Promise<V>): Promise<{ value: V; shared: boolean }> {
    const stamp = await this.stamp(key);
    const shared = await this.readShared(key);
    if (shared !== undefined) return { value: shared.value, shared: true };
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

  async #storeShared(key: string, entry: CacheEntry<V>, stamp: LoadStamp): Promise<SetOutcome> {
    if (!this.#remote || !stamp.remote) return 'stored_locally';
    try {
      return (await this.#remote.write(key, entry, stamp.remote)) ? 'stored' : 'refused';
    } catch (error) {
      // The in-process tier took it; Redis is away (the guard said why, the bus will resync).
      this.#logger.debug({ msg: 'Shared tier write failed', key, err: (error as Error).message });
      return 'stored_locally';
    }
  }

  #dropLocally(keys: readonly string[]): void {
    this.#staleSets.invalidatedHere(keys);
    for (const key of keys) {
      this.#loads.forget(key);
      this.#local?.delete(key);
    }
  }

  #dropAllLocally(): void {
    this.#staleSets.clearedHere();
    this.#loads.forgetAll();
    this.#local?.clear();
  }
}
