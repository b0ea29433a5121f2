import type { RedisConnection } from '../redis/redis-connection.js';

/**
 * Short claims on a key across instances (e.g. "I refresh this entry"): whoever sets the claim
 * first holds it until it is released or its time is up. Without Redis, or when Redis cannot say,
 * every claim succeeds: the in-process single flight still holds.
 */
export class Claims {
  constructor(private readonly redis: RedisConnection | undefined) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    if (!this.redis) return true;
    const { client, keys, guard } = this.redis;
    return guard.tryRun(async () => {
      const claimed = await client.set(keys.claim(key), '1', {
        condition: 'NX',
        expiration: { type: 'PX', value: ttlMs },
      });
      return claimed === 'OK';
    }, true);
  }

  async release(key: string): Promise<void> {
    if (!this.redis) return;
    const { client, keys, guard } = this.redis;
    await guard.tryRun(() => client.del(keys.claim(key)), 0);
  }
}
