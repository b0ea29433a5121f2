import { randomBytes } from 'node:crypto';

/**
 * The Redis versions of a key when a load began: the namespace generation and the key version.
 * Both are random tokens, not counters: a version key that Redis evicted or let expire comes back
 * as a token nobody has seen, so an old envelope can never match it again (a counter restarting
 * at 0 could).
 */
export interface RemoteStamp {
  g: string;
  k: string;
  /**
   * The replication id of the primary that gave the versions ('' when the ACL user may not run
   * INFO). A promoted replica starts a new one, and may lack the last invalidations its old
   * primary acknowledged: a stamp of another primary is never current. Absent in envelopes of
   * builds before it, which can therefore not be told apart from a lost primary's: a miss.
   */
  p?: string;
}

export const newVersionToken = (): string => randomBytes(9).toString('base64url');

export const isRemoteStamp = (value: unknown): value is RemoteStamp =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as RemoteStamp).g === 'string' &&
  typeof (value as RemoteStamp).k === 'string' &&
  ((value as RemoteStamp).p === undefined || typeof (value as RemoteStamp).p === 'string');

export const sameStamp = (a: RemoteStamp, b: RemoteStamp): boolean =>
  a.g === b.g && a.k === b.k && (a.p ?? '') === (b.p ?? '');
