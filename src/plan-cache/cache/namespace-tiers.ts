import { Logger } from '@nestjs/common';
import { LocalTier } from '../drivers/local-tier.js';
import type { RedisTier } from '../drivers/redis-tier.js';
import type { CacheEvent, CacheEventListener } from '../events/cache-events.js';
import { Claims } from '../locks/claims.js';
import { SingleFlight } from '../locks/single-flight.js';
import type { NamespaceStatsDto } from '../stats/namespace-stats.dto.js';
import { EngineTunables } from '../tunables.js';
import type { CacheEntry } from './cache-entry.js';
import { hitRatio, NamespaceCounters } from './namespace-counters.js';
import type { NamespaceOptions, NamespaceWatcher, SetOutcome } from './namespace-options.js';
import { StaleSetGuard } from './stale-set-guard.js';

/**
 * The tiers of a namespace and what keeps them true: an in-process tier and, when Redis is
 * enabled, a shared one; reads; invalidations here, in Redis and, over the bus, on the other
 * instances; the stale-set guard; counters. CacheNamespace adds loading and writing.
 */
export abstract class NamespaceTiers<V> {
  /** Claims across instances on keys of this namespace (e.g. who refreshes an entry). */
  readonly claims: Claims;
  protected readonly tally = new NamespaceCounters();
  protected readonly local?: LocalTier<V>;
  protected readonly remote?: RedisTier<V>;
  protected readonly staleSets: StaleSetGuard;
  protected readonly loads = new SingleFlight<{ value: V; shared?: CacheEntry<V> }>();
  protected readonly ttlMs: number;
  protected readonly logger: Logger;
  protected readonly watchers: NamespaceWatcher<V>[] = [];
  readonly #listeners: CacheEventListener<V>[] = [];
  /** Set for a namespace that must show every acknowledged change on every instance, with Redis. */
  readonly #consistentTier?: RedisTier<V>;

  constructor(
    readonly name: string,
    readonly options: NamespaceOptions,
    /** Made only for a namespace that stores something, so that a disabled one never touches Redis. */
    remote?: () => RedisTier<V>,
  ) {
    this.ttlMs = options.ttlMs;
    const loadDeadlineMs = options.loadDeadlineMs ?? EngineTunables.namespace.loadDeadlineMs;
    this.logger = new Logger(`CacheNamespace:${name}`);
    if (options.enabled) {
      if (options.maxEntries > 0) {
        this.local = new LocalTier<V>(options.maxEntries, { frequencyAdmission: options.frequencyAdmission });
      }
      this.remote = remote?.();
      if (options.consistentAcrossInstances) this.#consistentTier = this.remote;
    }
    const versionTtlMs = this.ttlMs + loadDeadlineMs;
    const redis = this.remote && { connection: this.remote.redis, namespace: name, versionTtlMs };
    this.staleSets = new StaleSetGuard(loadDeadlineMs, redis);
    this.claims = new Claims(this.remote?.redis);
    this.remote?.attach({
      versionTtlMs,
      guard: this.staleSets,
      listener: {
        onRemoteInvalidation: (keys) => {
          this.tally.busInvalidations += keys?.length ?? 1;
          if (keys) this.dropLocally(keys);
          else this.dropAllLocally();
        },
        onBusResync: () => {
          this.tally.busInvalidations++;
          this.dropAllLocally();
        },
        onRemoteStore: (keys) => {
          for (const watcher of this.watchers) watcher.storedElsewhere?.(keys);
        },
      },
    });
  }

  /** Tells `watcher` of entries stored and dropped from now on. */
  watch(watcher: NamespaceWatcher<V>): void {
    this.watchers.push(watcher);
  }

  /** Tells `listener` of every event of the namespace from now on; answers how to stop. */
  subscribe(listener: CacheEventListener<V>): () => void {
    this.#listeners.push(listener);
    return () => {
      const index = this.#listeners.indexOf(listener);
      if (index >= 0) this.#listeners.splice(index, 1);
    };
  }

  /**
   * The one way out of every hit, miss, stale answer, store, refusal and coalesced request: the
   * namespace's counters count it, then its subscribers are told. The engine records its own; a
   * domain that judges its entries itself (freshness by its own policy, a fallback) records its.
   */
  record(event: CacheEvent<V>): void {
    this.tally.count(event);
    for (const listener of this.#listeners) {
      // A subscriber's fault is its own: the request and the other subscribers go on.
      try {
        listener(event);
      } catch (error) {
        this.logger.warn({ msg: 'A cache event subscriber failed', type: event.type, err: (error as Error).message });
      }
    }
  }

  /** The namespace's counters, read-only: they count what is {@link record}ed. */
  get counters(): Readonly<NamespaceCounters> {
    return this.tally;
  }

  /** The hot path: a synchronous in-process read of a fresh value that counts a hit and nothing else. */
  get(key: string): V | undefined {
    const local = this.local;
    const entry = local?.read(key);
    if (local === undefined || entry === undefined) return undefined;
    // The tier drops an entry at usableUntil; only one with a grace needs the clock read again.
    if (entry.freshUntil < entry.usableUntil && Date.now() >= entry.freshUntil) return undefined;
    if (this.deafToOthers && !isRecentlyVerified(entry)) return undefined;
    local.noteAccess(key);
    // Nobody listens: the counter alone, and no event made on the hot path.
    if (this.#listeners.length === 0) this.tally.l1Hits++;
    else this.record({ type: 'hit', namespace: this.name, key, tier: 'l1', match: 'exact', entry });
    return entry.value;
  }

  /** The in-process value, fresh or in its grace, without counting. */
  peek(key: string): V | undefined {
    return this.local?.read(key)?.value;
  }

  /** The in-process entry, fresh or in its grace, with its life (for a domain that judges freshness), without counting. */
  peekEntry(key: string): CacheEntry<V> | undefined {
    return this.local?.read(key);
  }

  /**
   * The shared tier's entry for `key`, checked and copied into the in-process tier until the
   * shared entry ends (unless `keepHere` is false); undefined without Redis, on a miss, or for
   * anything malformed or outdated.
   */
  async readShared(key: string, { keepHere = true } = {}): Promise<CacheEntry<V> | undefined> {
    if (!this.remote) return undefined;
    const stamp = this.staleSets.stampHere();
    const entry = await this.remote.read(key);
    if (entry === undefined) return undefined;
    // Its versions were Redis's current ones when this read began.
    if (keepHere && this.local && this.staleSets.mayStoreHere(key, stamp))
      this.local.write(key, { ...entry, verifiedAt: stamp.local.at });
    return entry;
  }

  /** Up to `limit` keys of live entries in Redis (longest-lived first); empty without it. */
  sharedKeys(limit: number): Promise<string[]> {
    return this.remote?.liveKeys(limit) ?? Promise.resolve([]);
  }

  /**
   * Drops the keys everywhere and makes loads in flight for them unable to store their result;
   * answers how many of them the in-process tier held.
   */
  async invalidate(keys: readonly string[]): Promise<number> {
    const held = keys.filter((key) => this.peek(key) !== undefined).length;
    this.dropLocally(keys);
    this.tally.invalidations += keys.length;
    const holdUntil = Date.now() + EngineTunables.consistency.invalidationWaitMs;
    await this.remote?.invalidate(keys);
    await this.#settle(`${keys.length} keys`, holdUntil);
    return held;
  }

  /** Drops every key of the namespace everywhere; answers how many entries this process held. */
  async clear(): Promise<number> {
    const held = this.local?.size ?? 0;
    this.dropAllLocally();
    this.tally.invalidations++;
    const holdUntil = Date.now() + EngineTunables.consistency.invalidationWaitMs;
    await this.remote?.invalidateAll();
    await this.#settle('every key', holdUntil);
    return held;
  }

  /** A namespace that must show every change, while this instance may not hear the others' invalidations. */
  protected get deafToOthers(): boolean {
    return this.#consistentTier !== undefined && !this.#consistentTier.hearsInvalidations;
  }

  /**
   * A change is acknowledged once Redis and the bus took its invalidation: another instance that
   * reaches Redis before this one (after a failover, say) would otherwise serve what it replaced.
   * Held until `holdUntil` at most; past it, the change is acknowledged and replayed later.
   */
  async #settle(what: string, holdUntil: number): Promise<void> {
    const tier = this.#consistentTier;
    if (!tier || (await tier.settle(holdUntil))) return;
    this.logger.warn(
      `Redis did not take the invalidation of ${what} within ${EngineTunables.consistency.invalidationWaitMs} ms: ` +
        'acknowledged anyway; instances that reach Redis may serve the old value until it is replayed',
    );
  }

  /**
   * After a value was replaced in place (a regeneration), tells the other instances to drop their
   * copies. When the new value reached Redis the versions stay, since it is current; when only
   * this process has it, the key is invalidated in Redis, so that nobody takes the replaced
   * value from there.
   */
  async announceReplaced(key: string, outcome: SetOutcome): Promise<void> {
    if (outcome === 'stored') await this.remote?.announce([key]);
    else if (outcome === 'stored_locally' || outcome === 'not_admitted') await this.remote?.invalidate([key]);
  }

  /** Whether the namespace keeps anything at all. */
  get storing(): boolean {
    return this.local !== undefined || this.remote !== undefined;
  }

  get redisEnabled(): boolean {
    return this.remote !== undefined;
  }

  /** Entries in Redis as last counted, or null without it (or while it is away). */
  sharedSize(): number | null {
    return this.remote?.size() ?? null;
  }

  snapshot(): NamespaceStatsDto {
    const counters = this.tally;
    return {
      enabled: this.options.enabled,
      local_cache_size: this.local?.size ?? 0,
      local_max_size: this.local?.maxEntries ?? 0,
      // The statistics' JSON keeps its unit.
      ttl_seconds: this.options.ttlMs / 1000,
      hits: counters.hits,
      misses: counters.misses,
      hit_ratio: hitRatio(counters.hits, counters.misses),
      l1_hits: counters.l1Hits,
      l2_hits: counters.l2Hits,
      stale_hits: counters.staleHits,
      sets: counters.sets,
      refused_sets: counters.refusedSets,
      not_admitted: counters.notAdmitted,
      skipped_fast: counters.skippedFast,
      coalesced: counters.coalesced,
      evictions: counters.evictions,
      invalidations: counters.invalidations,
      tracked_versions: this.staleSets.trackedVersions,
      redis_cache_size: this.sharedSize(),
    };
  }

  protected dropLocally(keys: readonly string[]): void {
    this.staleSets.invalidatedHere(keys);
    for (const key of keys) {
      this.loads.forget(key);
      this.local?.delete(key);
    }
    for (const watcher of this.watchers) watcher.dropped?.(keys);
  }

  protected dropAllLocally(): void {
    this.staleSets.clearedHere();
    this.loads.forgetAll();
    this.local?.clear();
    for (const watcher of this.watchers) watcher.dropped?.(undefined);
  }
}

/**
 * Deaf to the other instances (the bus lost or not yet resynchronised, or Redis failing), a copy
 * may have missed their changes: it is served only if known current within the bus delay (its
 * load, or its read from Redis, began that recently), else read again.
 */
function isRecentlyVerified(entry: CacheEntry<unknown>): boolean {
  return Date.now() - (entry.verifiedAt ?? entry.createdAt) < EngineTunables.consistency.deafLocalMs;
}
