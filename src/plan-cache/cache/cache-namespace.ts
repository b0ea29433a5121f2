import type { FlightResult } from '../locks/distributed-flight.js';
import { EngineTunables } from '../tunables.js';
import { newEntry, type CacheEntry, type EntryLife } from './cache-entry.js';
import type { LoadResult, SetOutcome } from './namespace-options.js';
import { NamespaceTiers } from './namespace-tiers.js';
import type { LoadStamp } from './stale-set-guard.js';
import type { ValueCodec } from './value-codec.js';

/**
 * One namespace of the cache: its tiers (NamespaceTiers), single flight per key in this process
 * and across instances, and writes under the {@link StaleSetGuard}.
 */
export class CacheNamespace<V> extends NamespaceTiers<V> {
  /**
   * The cached value (in-process, then shared), or the loader's. Concurrent misses of one key run
   * the loader once in this process, and with Redis once across instances. A value loaded across
   * an invalidation of its key is returned to its callers but never stored.
   */
  async getOrLoad(key: string, load: () => Promise<V>): Promise<LoadResult<V>> {
    const cached = this.get(key);
    if (cached !== undefined) return { value: cached, cached: true };
    this.local?.noteAccess(key);
    // Deaf to the other instances, a load that began before a change made elsewhere must not answer
    // a request that began after it: only a load younger than the bus delay is joined.
    const joinYoungerThanMs = this.deafToOthers ? EngineTunables.consistency.deafLocalMs : undefined;
    const { promise, joined } = this.loads.run(key, () => this.#fetch(key, load), joinYoungerThanMs);
    const namespace = this.name;
    if (joined) this.record({ type: 'coalesced', namespace, key });
    const { value, shared } = await promise;
    if (shared) this.record({ type: 'hit', namespace, key, tier: 'l2', match: 'exact', entry: shared });
    else this.record({ type: 'miss', namespace, key });
    return { value, cached: shared !== undefined };
  }

  /**
   * {@link getOrLoad} for a key loaded ahead of demand (a warmer's): with frequency admission it
   * counts as busy, so that keys asked for once do not push it out before its first reader comes.
   */
  warm(key: string, load: () => Promise<V>): Promise<LoadResult<V>> {
    this.local?.noteBusy(key);
    return this.getOrLoad(key, load);
  }

  /** The stamp of a load that begins now; pass it to {@link set} when the load is done. */
  stamp(key: string): Promise<LoadStamp> {
    return this.staleSets.stamp(key);
  }

  /**
   * Stores a loaded value unless its key was invalidated since `stamp` was taken (or the load
   * outlived the load deadline): in this process at once, in the same turn as the check, and in
   * Redis when the stamp has Redis's versions. `life` defaults to the namespace's (kept for its TTL,
   * fresh for its `freshMs`), never beyond its TTL.
   */
  async set(key: string, value: V, stamp: LoadStamp, life?: Partial<EntryLife>): Promise<SetOutcome> {
    if (!this.storing) return 'not_storing';
    const namespace = this.name;
    if (!this.staleSets.mayStoreHere(key, stamp)) {
      this.record({ type: 'refused', namespace, key, reason: 'invalidated' });
      return 'refused';
    }
    const usableMs = Math.min(life?.usableMs ?? this.ttlMs, this.ttlMs);
    const freshMs = Math.min(life?.freshMs ?? this.options.freshMs ?? usableMs, usableMs);
    const entry: CacheEntry<V> = { ...newEntry(value, { freshMs, usableMs }), verifiedAt: stamp.local.at };
    let turnedAway = false;
    if (this.local) {
      const evicts = this.local.wouldEvict(key);
      turnedAway = !this.local.write(key, entry);
      if (turnedAway) this.record({ type: 'refused', namespace, key, reason: 'not_admitted' });
      else if (evicts) this.tally.evictions++;
    }
    const outcome = await this.#storeShared(key, entry, stamp);
    if (outcome === 'refused') {
      // Another instance invalidated the key meanwhile: the copy here is outdated too.
      this.local?.delete(key);
      this.record({ type: 'refused', namespace, key, reason: 'invalidated' });
      return outcome;
    }
    if (outcome === 'stored_locally' && turnedAway) return 'not_admitted';
    this.record({ type: 'stored', namespace, key });
    for (const watcher of this.watchers) watcher.stored?.(key, entry);
    if (outcome === 'stored' && this.options.announceStores) await this.remote?.announceStored([key]);
    return outcome;
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
    if (!this.remote) return { value: await load(), loadedHere: true };
    const flight = { ...EngineTunables.namespace.flight, ...this.options.flight, signal };
    return this.remote.flight(key, load, codec, flight);
  }

  /** Keys requested in this namespace, for the shared popularity ranking (no-op without Redis). */
  recordDemand(counts: ReadonlyMap<string, number>): Promise<void> {
    return this.remote?.demand.record(counts) ?? Promise.resolve();
  }

  /** Copies the most requested shared entries into this process; answers how many it copied. */
  async warmFromShared(limit: number): Promise<number> {
    if (!this.remote || !this.local) return 0;
    let warmed = 0;
    for (const key of await this.remote.demand.hottest(Math.min(limit, this.local.maxEntries))) {
      this.local.noteBusy(key);
      if ((await this.readShared(key)) !== undefined) warmed++;
    }
    return warmed;
  }

  /** The value, and the shared entry it came from when Redis had it. */
  async #fetch(key: string, load: () => Promise<V>): Promise<{ value: V; shared?: CacheEntry<V> }> {
    const stamp = await this.stamp(key);
    const shared = await this.readShared(key);
    if (shared !== undefined) return { value: shared.value, shared };
    if (!this.remote) {
      const value = await load();
      await this.set(key, value, stamp);
      return { value };
    }
    const { value, loadedHere } = await this.once(key, load, this.remote.codec);
    // Another instance loaded it and stored it in Redis: keep a copy here only.
    await this.set(key, value, loadedHere ? stamp : { local: stamp.local });
    return { value };
  }

  async #storeShared(key: string, entry: CacheEntry<V>, stamp: LoadStamp): Promise<SetOutcome> {
    if (!this.remote || !stamp.remote) return 'stored_locally';
    try {
      return (await this.remote.write(key, entry, stamp.remote)) ? 'stored' : 'refused';
    } catch (error) {
      // The in-process tier took it; Redis is away (the guard said why, the bus will resync).
      this.logger.debug({ msg: 'Shared tier write failed', key, err: (error as Error).message });
      return 'stored_locally';
    }
  }
}
