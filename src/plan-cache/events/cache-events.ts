import type { CacheEntry } from '../cache/cache-entry.js';

/** Where a hit was found: this process (l1) or Redis (l2). */
export type CacheTier = 'l1' | 'l2';

/** How a value was found: under its own key, or under a near-duplicate's (a domain's own matching). */
export type CacheMatch = 'exact' | 'semantic';

/**
 * Why a loaded value was not stored: made too fast to be worth keeping (the domain's policy), its
 * key invalidated while it was loading, or turned away by a full in-process tier (frequency
 * admission; Redis may still take it, and a `stored` event follows).
 */
export type StoreRefusal = 'fast' | 'invalidated' | 'not_admitted';

/**
 * What every event says: the namespace and key, and what the domain knows of the request (the
 * engine's own paths know none of it).
 */
interface CacheEventOrigin {
  namespace: string;
  key: string;
  /** The tenant whose cache scope the key is in; undefined: the shared scope. */
  scope?: string;
  /** The policy (experiment variant) the request was judged by. */
  variant?: string;
  /** The asking caller's tenant, whatever the scope (per-tenant figures); undefined: none known. */
  tenant?: string;
}

export interface CacheHit<V> extends CacheEventOrigin {
  type: 'hit';
  tier: CacheTier;
  match: CacheMatch;
  /** The entry served (its value and life), for subscribers that weigh a hit by it (what it cost, how old). */
  entry: CacheEntry<V>;
}

/** A request the cache could not answer. */
export interface CacheMiss extends CacheEventOrigin {
  type: 'miss';
}

/** An expired value answered in place of a source that failed; its request was counted as a miss already. */
export interface CacheStale<V> extends CacheEventOrigin {
  type: 'stale';
  entry: CacheEntry<V>;
}

export interface CacheStored extends CacheEventOrigin {
  type: 'stored';
}

export interface CacheRefused extends CacheEventOrigin {
  type: 'refused';
  reason: StoreRefusal;
}

/** A request that joined a load of its key already running instead of starting one. */
export interface CacheCoalesced extends CacheEventOrigin {
  type: 'coalesced';
}

/** What happened in a namespace, as data: its counters, statistics, savings and metrics subscribe. */
export type CacheEvent<V = unknown> =
  CacheHit<V> | CacheMiss | CacheStale<V> | CacheStored | CacheRefused | CacheCoalesced;

/**
 * Told of every event of a namespace, synchronously and on the hot path: it must not block,
 * await or throw. Typed as a method's signature, whose parameter is bivariant, so that a namespace
 * of any value type still lists as a CacheNamespace<unknown> (the engine's registry, its metrics).
 */
export type CacheEventListener<V = unknown> = {
  listen(event: CacheEvent<V>): void;
}['listen'];
