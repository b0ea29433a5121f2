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
