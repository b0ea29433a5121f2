import type { CacheNamespaceSettings } from '../../config/app-config.js';

export interface NamespaceOptions extends CacheNamespaceSettings {
  /** A disabled namespace stores nothing and always loads (loads still coalesce). */
  enabled: boolean;
  /**
   * The longest a load may take, from its stamp to its write: a value loaded for longer is not
   * stored, and key versions older than this are forgotten.
   */
  loadDeadlineMs?: number;
  /** Distributed single flight: the lock's lease (renewed while its holder lives) and how long others wait. */
  flight?: { leaseMs?: number; maxWaitMs?: number };
}

export interface LoadResult<V> {
  value: V;
  /** The value came from a tier of this cache, not from the loader. */
  cached: boolean;
}

/** Where a value went: every tier, this process only (Redis away or not stamped), or nowhere. */
export type SetOutcome = 'stored' | 'stored_locally' | 'refused' | 'not_storing';
