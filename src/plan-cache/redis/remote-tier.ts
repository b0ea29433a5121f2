import type { RedisConnection } from './redis-connection.js';
import { DistributedFlight, type FlightOptions, type FlightResult } from './distributed-flight.js';
import { GuardedKeyv } from './guarded-keyv.js';
import type { InvalidationBus, BusListener } from './invalidation-bus.js';
import { isRemoteStamp, sameStamp, type RemoteStamp } from './remote-stamp.js';
import type { ValueCodec } from './value-codec.js';
import { COUNTED_KEYS, HIT_HALF_LIFE_MS } from '../demand.js';

/** Versions outlive any entry they guard. */
const VERSION_TTL_SECONDS = 7 * 24 * 3600;
const MAX_SIZE_SCAN = 100_000;
const REPLAY_EVERY_MS = 1000;
const HOT_DECAY_EVERY_MS = 60_000;
/** A decayed count this low is no demand at all. */
const HOT_FORGET_BELOW = 0.05;

/** An entry as it travels to and from Redis. */
export interface RemoteEnvelope {
  value: unknown;
  remote: RemoteStamp;
}

/**
 * One namespace's side of Redis: its Keyv tier for cache-manager, its key versions (so that a
 * value loaded before an invalidation on any instance is never served after it), the bus, the
 * distributed single flight, and its hottest keys.
 */
export class RemoteTier<V> {
  readonly keyv: GuardedKeyv;
  readonly #flight: DistributedFlight;
  /** Invalidations Redis missed while it was away, replayed when it is back. */
  readonly #pending = new Set<string>();
  #pendingAll = false;

  constructor(
    readonly namespace: string,
    private readonly redis: RedisConnection,
    private readonly bus: InvalidationBus,
    readonly codec: ValueCodec<V>,
  ) {
    this.keyv = new GuardedKeyv(redis.guard, redis.client, redis.keys.entries(namespace));
    this.#flight = new DistributedFlight(redis);
    redis.client.on('ready', () => void this.#replay());
    // A change the bus could not carry (breaker still open after a reconnection) is retried too.
    setInterval(() => void this.#replay(), REPLAY_EVERY_MS).unref();
  }

  get connected(): boolean {
    return this.redis.connected;
  }

  listen(listener: BusListener): void {
    this.bus.register(this.namespace, listener);
  }

  /** The versions of `key` now, or undefined when Redis cannot say (then nothing goes to Redis). */
  async stamp(key: string): Promise<RemoteStamp | undefined> {
    const client = this.redis.client;
    return this.redis.guard.tryRun(async () => {
      const [g, k] = await client.mGet([this.redis.keys.generation(this.namespace), this.redis.keys.version(key)]);
      return { g: Number(g ?? 0), k: Number(k ?? 0) };
    }, undefined);
  }

  /** The value of an envelope read from Redis, if it is well formed and no invalidation came after it. */
  async accept(key: string, raw: unknown): Promise<V | undefined> {
    if (typeof raw !== 'object' || raw === null) return undefined;
    const envelope = raw as Partial<RemoteEnvelope>;
    if (!isRemoteStamp(envelope.remote)) return undefined;
    const value = this.codec.decode(envelope.value);
    if (value === undefined) return undefined;
    const now = await this.stamp(key);
    return now !== undefined && sameStamp(now, envelope.remote) ? value : undefined;
  }

  envelope(value: V, remote: RemoteStamp): RemoteEnvelope {
    return { value: this.codec.encode(value), remote };
  }

  /**
   * Raises the keys' versions, drops their flights and tells the other instances. When Redis is
   * away the keys are remembered and the invalidation is replayed when it is back, so that no
   * entry written before the change is served from Redis afterwards.
   */
  async invalidate(keys: readonly string[]): Promise<void> {
    const client = this.redis.client;
    try {
      await this.redis.guard.run(async () => {
        const multi = client.multi();
        for (const key of keys) {
          multi.incr(this.redis.keys.version(key));
          multi.expire(this.redis.keys.version(key), VERSION_TTL_SECONDS);
        }
        await multi.exec();
      });
    } catch {
      for (const key of keys) this.#pending.add(key);
      return;
    }
    await this.#flight.forget(keys);
    if (!(await this.bus.publish(this.namespace, [...keys]))) for (const key of keys) this.#pending.add(key);
  }

  async invalidateAll(): Promise<void> {
    const client = this.redis.client;
    try {
      await this.redis.guard.run(() => client.incr(this.redis.keys.generation(this.namespace)));
    } catch {
      this.#pendingAll = true;
      return;
    }
    if (!(await this.bus.publish(this.namespace, undefined))) this.#pendingAll = true;
  }

  async #replay(): Promise<void> {
    if (!this.redis.connected) return;
    if (this.#pendingAll) {
      this.#pendingAll = false;
      this.#pending.clear();
      await this.invalidateAll();
    }
    if (this.#pending.size > 0) {
      const keys = [...this.#pending];
      this.#pending.clear();
      await this.invalidate(keys);
    }
  }

  flight<T>(
    key: string,
    load: () => Promise<T>,
    codec: ValueCodec<T>,
    options: FlightOptions,
  ): Promise<FlightResult<T>> {
    return this.#flight.run(key, load, codec, options);
  }

  /** Tells the other instances that `keys` have new values in Redis (their copies are outdated). */
  async announce(keys: readonly string[]): Promise<void> {
    await this.bus.publish(this.namespace, [...keys]);
  }

  /** Entries of this namespace in Redis (counted with SCAN, up to a bound), or null without Redis. */
  async size(): Promise<number | null> {
    const client = this.redis.client;
    return this.redis.guard.tryRun(async () => {
      let count = 0;
      for await (const keys of client.scanIterator({
        MATCH: this.redis.keys.entryPattern(this.namespace),
        COUNT: 1000,
      })) {
        count += keys.length;
        if (count >= MAX_SIZE_SCAN) break;
      }
      return count;
    }, null);
  }

  /** Adds request counts to the namespace's popularity ranking. */
  async recordDemand(counts: ReadonlyMap<string, number>): Promise<void> {
    if (counts.size === 0) return;
    const client = this.redis.client;
    const hot = this.redis.keys.hot(this.namespace);
    await this.redis.guard.tryRun(async () => {
      const multi = client.multi();
      for (const [key, count] of counts) multi.zIncrBy(hot, count, key);
      await multi.exec();
      // One instance a round decays every count and drops the coldest, so the ranking follows
      // recent demand and stays bounded.
      const decaying = await client.set(this.redis.keys.hotDecay(this.namespace), '1', {
        condition: 'NX',
        expiration: { type: 'PX', value: HOT_DECAY_EVERY_MS },
      });
      if (decaying !== 'OK') return;
      await client
        .multi()
        .zUnionStore(hot, [{ key: hot, weight: 2 ** (-HOT_DECAY_EVERY_MS / HIT_HALF_LIFE_MS) }])
        .zRemRangeByScore(hot, '-inf', HOT_FORGET_BELOW)
        .zRemRangeByRank(hot, 0, -(COUNTED_KEYS + 1))
        .exec();
    }, undefined);
  }

  async claimRefresh(key: string, ttlMs: number): Promise<boolean> {
    const client = this.redis.client;
    return this.redis.guard.tryRun(async () => {
      const claimed = await client.set(this.redis.keys.refresh(key), '1', {
        condition: 'NX',
        expiration: { type: 'PX', value: ttlMs },
      });
      return claimed === 'OK';
    }, true);
  }

  async releaseRefresh(key: string): Promise<void> {
    const client = this.redis.client;
    await this.redis.guard.tryRun(() => client.del(this.redis.keys.refresh(key)), 0);
  }

  /** The most requested keys, most first. */
  async hottest(limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const client = this.redis.client;
    return this.redis.guard.tryRun(
      () => client.zRange(this.redis.keys.hot(this.namespace), 0, limit - 1, { REV: true }) as Promise<string[]>,
      [] as string[],
    );
  }
}
