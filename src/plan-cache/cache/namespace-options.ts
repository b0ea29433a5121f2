import type { CacheNamespaceSettings } from '../../config/index.js';
import type { CacheEntry } from './cache-entry.js';

/** What a domain declares of a namespace; `ttlMs` is how long an entry is kept, and may be used. */
export interface NamespaceOptions extends CacheNamespaceSettings {
  /** A disabled namespace stores nothing and always loads (loads still coalesce). */
  enabled: boolean;
  /**
   * How long a stored entry is fresh, when shorter than `ttlMs`: the rest is its grace, for a
   * domain that serves expired values when its source fails. By default the whole TTL.
   */
  freshMs?: number;
  /**
   * The longest a load may take, from its stamp to its write: a value loaded for longer is not
   * stored, and key versions older than this are forgotten.
   */
  loadDeadlineMs?: number;
  /** Distributed single flight: the lock's lease (renewed while its holder lives) and how long others wait. */
  flight?: { leaseMs?: number; maxWaitMs?: number };
  /** Tell the other instances of every new entry stored in Redis, for their watchers. */
  announceStores?: boolean;
  /**
   * A new key enters a full in-process tier only if it was asked for more often lately than the
   * entry it would push out (TinyLFU); entries loaded by {@link CacheNamespace.warm} count as busy.
   */
  frequencyAdmission?: boolean;
  /**
   * Every instance shows a change once it is acknowledged, Redis trouble included (billing lists):
   * an invalidation returns once Redis and the bus took it (held at most
   * `EngineTunables.consistency.invalidationWaitMs` while they cannot), and while this instance
   * cannot hear the others' invalidations its in-process copies are served only within the bus
   * delay. Without it (task plans), in-process copies serve their whole life through an outage.
   */
  consistentAcrossInstances?: boolean;
}

/** What a domain learns of its namespace's entries, as data: stored here or elsewhere, dropped. */
export interface NamespaceWatcher<V> {
  /** Stored in this process (and, unless Redis was away, in Redis), with its life. */
  stored?(key: string, entry: CacheEntry<V>): void;
  /** Another instance stored entries under these keys in Redis (with `announceStores`). */
  storedElsewhere?(keys: readonly string[]): void;
  /** Dropped here, by an invalidation from here or another instance; undefined: all of them. */
  dropped?(keys: readonly string[] | undefined): void;
}

export interface LoadResult<V> {
  value: V;
  /** The value came from a tier of this cache, not from the loader. */
  cached: boolean;
}

/**
 * Where a value went: every tier, this process only (Redis away or not stamped), or nowhere
 * (refused as outdated, a namespace that stores nothing, or turned away by frequency admission).
 */
export type SetOutcome = 'stored' | 'stored_locally' | 'refused' | 'not_storing' | 'not_admitted';
