import type { RedisConnection } from '../redis/redis-connection.js';
import { EngineTunables } from '../tunables.js';

const { halfLifeMs, countedKeys, decayEveryMs, forgetBelow } = EngineTunables.demand;

/** A namespace's popularity ranking in Redis, summed over instances: which keys are asked for most lately. */
export class RedisDemand {
  constructor(
    private readonly redis: RedisConnection,
    private readonly namespace: string,
  ) {}

  /** Adds request counts to the ranking. */
  async record(counts: ReadonlyMap<string, number>): Promise<void> {
    if (counts.size === 0) return;
    const { client, keys, guard } = this.redis;
    const hot = keys.hot(this.namespace);
    await guard.tryRun(async () => {
      const multi = client.multi();
      for (const [key, count] of counts) multi.zIncrBy(hot, count, key);
      await multi.exec();
      // One instance a round decays every count and drops the coldest, so the ranking follows
      // recent demand and stays bounded.
      const decaying = await client.set(keys.hotDecay(this.namespace), '1', {
        condition: 'NX',
        expiration: { type: 'PX', value: decayEveryMs },
      });
      if (decaying !== 'OK') return;
      await client
        .multi()
        .zUnionStore(hot, [{ key: hot, weight: 2 ** (-decayEveryMs / halfLifeMs) }])
        .zRemRangeByScore(hot, '-inf', forgetBelow)
        .zRemRangeByRank(hot, 0, -(countedKeys + 1))
        .exec();
    }, undefined);
  }

  /** The most requested keys, most first. */
  async hottest(limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const { client, keys, guard } = this.redis;
    return guard.tryRun(
      () => client.zRange(keys.hot(this.namespace), 0, limit - 1, { REV: true }) as Promise<string[]>,
      [] as string[],
    );
  }
}
