/** The Redis versions of a key when a load began: the namespace generation and the key version. */
export interface RemoteStamp {
  g: number;
  k: number;
}

export const isRemoteStamp = (value: unknown): value is RemoteStamp =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as RemoteStamp).g) &&
  Number.isSafeInteger((value as RemoteStamp).k);

export const sameStamp = (a: RemoteStamp, b: RemoteStamp): boolean => a.g === b.g && a.k === b.k;
