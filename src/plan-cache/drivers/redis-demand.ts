import type { RedisConnection } from '../redis/redis-connection.js';
import { EngineTunables } from '../tunables.js';

const { halfLifeMs, countedKeys, decayEveryMs, forgetBelow } = EngineTunables.demand;

/** Scales every count, then drops those under the floor and all but the top. KEYS: the ranking. ARGV: factor, floor, last rank to drop. */
const DECAY = `
redis.call('ZUNIONSTORE', KEYS[1], 1, KEYS[1], 'WEIGHTS', ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, ARGV[3])
return 1`;

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
      await Promise.all([...counts].map(([key, count]) => client.zIncrBy(hot, count, key)));
      // One instance a round decays every count and drops the coldest, so the ranking follows
      // recent demand and stays bounded.
      const decaying = await client.set(keys.hotDecay(this.namespace), '1', {
        condition: 'NX',
        expiration: { type: 'PX', value: decayEveryMs },
      });
      if (decaying !== 'OK') return;
      await client.eval(DECAY, {
        keys: [hot],
        arguments: [String(2 ** (-decayEveryMs / halfLifeMs)), String(forgetBelow), String(-(countedKeys + 1))],
      });
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
