import type { RedisConnection } from '../redis/redis-connection.js';
import { DistributedFlight, type FlightOptions, type FlightResult } from '../locks/distributed-flight.js';
import type { InvalidationBus, BusListener } from '../bus/invalidation-bus.js';
import { isRemoteStamp, newVersionToken, sameStamp, type RemoteStamp } from '../cache/remote-stamp.js';
import type { ValueCodec } from '../cache/value-codec.js';
import { COUNTED_KEYS, HIT_HALF_LIFE_MS } from '../demand.js';

const REPLAY_EVERY_MS = 1000;
/** How often the entry count is read; `size()` answers the last reading. */
const COUNT_EVERY_MS = 1000;
const RECOUNT_AFTER_CHANGE_MS = 20;
const HOT_DECAY_EVERY_MS = 60_000;
/** A decayed count this low is no demand at all. */
const HOT_FORGET_BELOW = 0.05;

/**
 * The stamp of a load: the namespace generation and the key version, each created as a fresh
 * token when absent (never seen, expired or evicted), the key version's life renewed.
 */
const STAMP = `
local g = redis.call('GET', KEYS[1])
if not g then g = ARGV[1]; redis.call('SET', KEYS[1], g) end
local k = redis.call('GET', KEYS[2])
if not k then k = ARGV[2]; redis.call('SET', KEYS[2], k, 'PX', ARGV[3]) else redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
return {g, k}`;

/** An entry as it travels to and from Redis: the encoded value, its stamp, and when it expires. */
interface RemoteEnvelope {
  value: unknown;
  remote: RemoteStamp;
  /** Epoch milliseconds. */
  until: number;
}

export interface RemoteEntry<V> {
  value: V;
  until: number;
}

export interface RemoteTierSettings {
  /** How long a key version lives: longer than any entry stamped with it, and any load. */
  versionTtlMs: number;
  listener: BusListener;
}

/**
 * One namespace's side of Redis: its entries, its key versions (so that a value loaded before an
 * invalidation on any instance is never served after it), the bus, the distributed single flight,
 * its hottest keys and a count of its entries. Changes Redis or the bus could not take while it
 * was away (invalidations, announcements of replaced values) are replayed when it is back.
 */
export class RemoteTier<V> {
  readonly #flight: DistributedFlight;
  readonly #pendingKeys = new Set<string>();
  readonly #pendingAnnounced = new Set<string>();
  #pendingAll = false;
  #versionTtlMs = 0;
  #count: number | null = null;
  #recountScheduled = false;

  constructor(
    readonly namespace: string,
    private readonly redis: RedisConnection,
    private readonly bus: InvalidationBus,
    readonly codec: ValueCodec<V>,
  ) {
    this.#flight = new DistributedFlight(redis);
  }

  /** Starts the tier for its namespace: only a namespace that stores anything has one. */
  attach({ versionTtlMs, listener }: RemoteTierSettings): void {
    this.#versionTtlMs = versionTtlMs;
    this.bus.register(this.namespace, listener);
    this.redis.client.on('ready', () => {
      void this.#replay();
      this.#recountSoon();
    });
    // A change the bus could not carry (breaker still open after a reconnection) is retried too.
    setInterval(() => void this.#replay(), REPLAY_EVERY_MS).unref();
    setInterval(() => void this.#recount(), COUNT_EVERY_MS).unref();
    if (this.redis.connected) this.#recountSoon();
  }

  get connected(): boolean {
    return this.redis.connected;
  }

  /** The versions of `key` now, or undefined when Redis cannot say (then nothing goes to Redis). */
  async stamp(key: string): Promise<RemoteStamp | undefined> {
    const { client, keys } = this.redis;
    return this.redis.guard.tryRun(async () => {
      const [g, k] = (await client.eval(STAMP, {
        keys: [keys.generation(this.namespace), keys.version(key)],
        arguments: [newVersionToken(), newVersionToken(), String(this.#versionTtlMs)],
      })) as [string, string];
      return { g, k };
    }, undefined);
  }

  /**
   * The entry under `key`, if it is well formed, its value decodes, and no invalidation came
   * after it; undefined otherwise, or when Redis cannot say. One round trip reads the entry and
   * the versions it must match.
   */
  async read(key: string): Promise<RemoteEntry<V> | undefined> {
    const { client, keys } = this.redis;
    const [raw, g, k] = await this.redis.guard.tryRun(
      () => client.mGet([keys.entry(this.namespace, key), keys.generation(this.namespace), keys.version(key)]),
      [null, null, null],
    );
    if (raw === null || g === null || k === null) return undefined;
    const envelope = parseEnvelope(raw);
    if (!envelope || !sameStamp(envelope.remote, { g, k })) return undefined;
    const value = this.codec.decode(envelope.value);
    return value === undefined ? undefined : { value, until: envelope.until };
  }

  /** Writes an entry and counts it; throws when Redis is away. */
  async write(key: string, value: V, remote: RemoteStamp, until: number): Promise<void> {
    const ttlMs = Math.round(until - Date.now());
    if (ttlMs <= 0) return;
    const envelope: RemoteEnvelope = { value: this.codec.encode(value), remote, until };
    const { client, keys } = this.redis;
    await this.redis.guard.run(() =>
      client
        .multi()
        .set(keys.entry(this.namespace, key), JSON.stringify(envelope), { expiration: { type: 'PX', value: ttlMs } })
        .zAdd(keys.index(this.namespace), { score: until, value: key })
        .exec(),
    );
    this.#recountSoon();
  }

  /**
   * Gives the keys new versions, deletes their entries, drops their flights and tells the other
   * instances. When Redis is away the keys are remembered and the invalidation is replayed when
   * it is back, so that no entry written before the change is served from Redis afterwards.
   */
  async invalidate(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const { client, keys: names } = this.redis;
    try {
      await this.redis.guard.run(async () => {
        const multi = client.multi();
        for (const key of keys) {
          multi.set(names.version(key), newVersionToken(), { expiration: { type: 'PX', value: this.#versionTtlMs } });
          multi.del(names.entry(this.namespace, key));
        }
        multi.zRem(names.index(this.namespace), [...keys]);
        await multi.exec();
      });
    } catch {
      for (const key of keys) this.#pendingKeys.add(key);
      return;
    }
    await this.#flight.forget(keys);
    if (!(await this.bus.publish(this.namespace, [...keys]))) for (const key of keys) this.#pendingKeys.add(key);
  }

  /** A new generation hides every entry of the namespace; deleting them is only housekeeping. */
  async invalidateAll(): Promise<void> {
    const { client, keys } = this.redis;
    try {
      await this.redis.guard.run(() =>
        client.multi().set(keys.generation(this.namespace), newVersionToken()).del(keys.index(this.namespace)).exec(),
      );
    } catch {
      this.#pendingAll = true;
      return;
    }
    void this.#deleteEntries();
    if (!(await this.bus.publish(this.namespace, undefined))) this.#pendingAll = true;
  }

  /**
   * Tells the other instances that `keys` have new values in Redis (their copies are outdated);
   * an announcement the bus could not carry is sent again when Redis is back.
   */
  async announce(keys: readonly string[]): Promise<void> {
    if (!(await this.bus.publish(this.namespace, [...keys]))) for (const key of keys) this.#pendingAnnounced.add(key);
  }

  flight<T>(
    key: string,
    load: () => Promise<T>,
    codec: ValueCodec<T>,
    options: FlightOptions,
  ): Promise<FlightResult<T>> {
    return this.#flight.run(key, load, codec, options);
  }

  /**
   * Entries of this namespace in Redis, as last counted (at most about a second ago), or null
   * while Redis is not connected. An estimate: entries Redis evicted under memory pressure are
   * counted until they would have expired.
   */
  size(): number | null {
    return this.redis.connected ? this.#count : null;
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

  async #replay(): Promise<void> {
    if (!this.redis.connected) return;
    if (this.#pendingAll) {
      this.#pendingAll = false;
      this.#pendingKeys.clear();
      this.#pendingAnnounced.clear();
      await this.invalidateAll();
    }
    if (this.#pendingKeys.size > 0) {
      const keys = [...this.#pendingKeys];
      this.#pendingKeys.clear();
      await this.invalidate(keys);
    }
    if (this.#pendingAnnounced.size > 0) {
      const keys = [...this.#pendingAnnounced];
      this.#pendingAnnounced.clear();
      await this.announce(keys);
    }
  }

  /** Counts again shortly after a change, once for a burst of them (warming writes many). */
  #recountSoon(): void {
    if (this.#recountScheduled) return;
    this.#recountScheduled = true;
    setTimeout(() => {
      this.#recountScheduled = false;
      void this.#recount();
    }, RECOUNT_AFTER_CHANGE_MS).unref();
  }

  /** Drops the expired members of the entry index, then counts it: O(expired + log n), not O(n). */
  async #recount(): Promise<void> {
    if (!this.redis.connected) return;
    const { client, keys } = this.redis;
    const index = keys.index(this.namespace);
    const counted = await this.redis.guard.tryRun(async () => {
      const [, count] = await client.multi().zRemRangeByScore(index, '-inf', Date.now()).zCard(index).exec();
      return Number(count);
    }, undefined);
    if (counted !== undefined) this.#count = counted;
  }

  async #deleteEntries(): Promise<void> {
    const client = this.redis.client;
    await this.redis.guard.tryRun(async () => {
      for await (const keys of client.scanIterator({
        MATCH: this.redis.keys.entryPattern(this.namespace),
        COUNT: 1000,
      }))
        if (keys.length > 0) await client.unlink(keys);
    }, undefined);
  }
}

function parseEnvelope(raw: string): RemoteEnvelope | undefined {
  let envelope: Partial<RemoteEnvelope>;
  try {
    envelope = JSON.parse(raw) as Partial<RemoteEnvelope>;
  } catch {
    return undefined;
  }
  if (typeof envelope !== 'object' || envelope === null) return undefined;
  if (!isRemoteStamp(envelope.remote) || typeof envelope.until !== 'number' || !Number.isFinite(envelope.until))
    return undefined;
  return envelope as RemoteEnvelope;
}
