import type { RedisAccess } from '../../../config/index.js';

/** Reconnection backoff: quick at first, then at most every two seconds, forever. */
export const reconnectDelay = (retries: number): number => Math.min(50 * 2 ** retries, 2000);

/**
 * The options of every connection to a Redis node: the ACL user, TLS, a connect deadline and
 * no offline queue (while a node is away, commands fail at once and the service works without it).
 */
export function nodeClientOptions(access: RedisAccess, timeoutMs: number) {
  const tls = access.tls ? { tls: true as const, ...(access.tls.ca === undefined ? {} : { ca: access.tls.ca }) } : {};
  return {
    ...(access.username === undefined ? {} : { username: access.username }),
    ...(access.password === undefined ? {} : { password: access.password }),
    socket: { connectTimeout: Math.max(timeoutMs, 1000), reconnectStrategy: reconnectDelay, ...tls },
    disableOfflineQueue: true,
  };
}

/** The commands a SCAN-and-UNLINK needs, on one node (a server, or Sentinel's primary). */
interface ScanningClient {
  scan(cursor: string, options: { MATCH: string; COUNT: number }): Promise<{ cursor: string; keys: string[] }>;
  unlink(keys: string[]): Promise<number>;
}

/** Deletes every key matching `pattern` on one node, a thousand at a time (SCAN, never KEYS). */
export async function unlinkByScan(client: ScanningClient, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const { cursor: next, keys } = await client.scan(cursor, { MATCH: pattern, COUNT: 1000 });
    if (keys.length > 0) await client.unlink(keys);
    cursor = next;
  } while (cursor !== '0');
}
