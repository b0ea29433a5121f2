import KeyvRedis from '@keyv/redis';
import type { RedisClientType } from '@redis/client';
import { Keyv } from 'keyv';
import type { RedisGuard } from './redis-guard.js';

/**
 * The Redis tier as cache-manager sees it: a Keyv over @keyv/redis, namespaced so that a clear
 * only ever deletes this namespace's keys, with every call under the guard's deadline and breaker.
 */
export class GuardedKeyv extends Keyv {
  constructor(
    private readonly guard: RedisGuard,
    client: RedisClientType,
    /** Where the entries live: `<prefix>:<namespace>` (RedisKeys.entries). */
    prefix: string,
  ) {
    const store = new KeyvRedis(client, { namespace: prefix, keyPrefixSeparator: ':' });
    // Errors are answered to each caller; an unhandled 'error' event would only add noise.
    store.on('error', () => undefined);
    // Keyv hands its own namespace to the store, which prefixes the keys with it.
    super({ store, namespace: prefix, useKeyPrefix: false, emitErrors: false });
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Keyv's own overloads answer any
  override get<Value>(key: string | string[], options?: { raw?: boolean }): Promise<any> {
    return this.guard.run(() => super.get<Value>(key as string, options as { raw: false }));
  }

  override set<Value>(key: string, value: Value, ttl?: number): Promise<boolean> {
    return this.guard.run(() => super.set(key, value, ttl));
  }

  override delete(key: string | string[]): Promise<boolean> {
    return this.guard.run(() => super.delete(key));
  }

  override clear(): Promise<void> {
    return this.guard.run(() => super.clear());
  }
}
