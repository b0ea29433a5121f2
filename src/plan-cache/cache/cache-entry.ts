import type { RemoteStamp } from './remote-stamp.js';

/**
 * A cached value and its life, the same in every tier: when it was stored, until when it is fresh,
 * and until when it may still be used (the grace after freshness, for a domain that serves expired
 * values when its source fails). Every tier keeps it until `usableUntil` and no longer, so a copy
 * taken from another tier ends when the original does: an expiry is never computed again.
 */
export interface CacheEntry<V> {
  readonly value: V;
  /** Epoch milliseconds, as every instant below. */
  readonly createdAt: number;
  readonly freshUntil: number;
  readonly usableUntil: number;
  /** The Redis versions the value was loaded under; absent for an entry that never reached Redis. */
  readonly stamp?: RemoteStamp;
}

/** How long a value being stored lives, from now; by default the namespace's TTL, without grace. */
export interface EntryLife {
  freshMs: number;
  usableMs: number;
}

export function newEntry<V>(value: V, { freshMs, usableMs }: EntryLife, now = Date.now()): CacheEntry<V> {
  return { value, createdAt: now, freshUntil: now + freshMs, usableUntil: now + Math.max(usableMs, freshMs) };
}
