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
  /**
   * This process's clock when the value was last known current: the start of its load, or of the
   * Redis read that checked its versions. Kept in this process only (a copy deaf to the other
   * instances is judged by it).
   */
  readonly verifiedAt?: number;
}

/** An entry's life without its value: what freshness is judged by. */
export type EntryTimes = Pick<CacheEntry<unknown>, 'createdAt' | 'freshUntil' | 'usableUntil'>;

/** How long a value being stored lives, from now; by default the namespace's TTL, without grace. */
export interface EntryLife {
  freshMs: number;
  usableMs: number;
}

export function newEntry<V>(value: V, { freshMs, usableMs }: EntryLife, now = Date.now()): CacheEntry<V> {
  return { value, createdAt: now, freshUntil: now + freshMs, usableUntil: now + Math.max(usableMs, freshMs) };
}

/** Milliseconds since the entry was stored. */
export function entryAge(entry: EntryTimes, now = Date.now()): number {
  return now - entry.createdAt;
}

/**
 * How a reader may narrow an entry's own life: a shorter freshness of its own (a policy's TTL),
 * and the request's `max-age`. Neither can make an entry fresh or usable past its life.
 */
export interface ReaderView {
  now?: number;
  /** The reader's own freshness: fresh only while younger than this. */
  freshMs?: number;
  /** The request's `max-age`: fresh only while at most this old. */
  maxAgeMs?: number;
}

/** Whether the entry is fresh for this reader: within its own freshness, and within the reader's. */
export function isFreshFor(entry: EntryTimes, { now = Date.now(), freshMs, maxAgeMs }: ReaderView = {}): boolean {
  const age = entryAge(entry, now);
  return (
    now < entry.freshUntil && (freshMs === undefined || age < freshMs) && (maxAgeMs === undefined || age <= maxAgeMs)
  );
}

/** Whether the entry may still stand in (fresh or in its grace) for a reader that keeps it at most `usableMs`. */
export function isUsableFor(
  entry: EntryTimes,
  { now = Date.now(), usableMs }: { now?: number; usableMs?: number } = {},
): boolean {
  return now < entry.usableUntil && (usableMs === undefined || entryAge(entry, now) < usableMs);
}
