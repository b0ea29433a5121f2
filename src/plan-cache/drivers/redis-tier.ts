import type { RedisConnection } from '../redis/redis-connection.js';
import type { BusListener, InvalidationBus } from '../bus/invalidation-bus.js';
import { PendingChanges } from '../bus/pending-changes.js';
import type { CacheEntry } from '../cache/cache-entry.js';
import { newVersionToken } from '../cache/remote-stamp.js';
import type { RemoteStamp } from '../cache/remote-stamp.js';
import type { StaleSetGuard } from '../cache/stale-set-guard.js';
import { encodeWith, type ValueCodec } from '../cache/value-codec.js';
import { DistributedFlight, type FlightOptions, type FlightResult } from '../locks/distributed-flight.js';
import { EngineTunables } from '../tunables.js';
import { RedisDemand } from './redis-demand.js';
import { RedisEntryCount } from './redis-entry-count.js';

/**
 * Gives keys of one bucket new versions and deletes their entries.
 * KEYS: the bucket's index, then each key's version and entry. ARGV: the versions' life in ms, then each key's new version and name.
 */
const INVALIDATE = `
for i = 2, #KEYS, 2 do
  redis.call('SET', KEYS[i], ARGV[i], 'PX', ARGV[1])
  redis.call('DEL', KEYS[i + 1])
  redis.call('ZREM', KEYS[1], ARGV[i + 1])
end
return 1`;

/** A new generation for a bucket, and its index emptied. KEYS: generation, index. ARGV: the new generation. */
const CLEAR = `
redis.call('SET', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return 1`;

/**
 * An entry as it travels to and from Redis. `remote` and `until` keep the names of the first
 * format, so that instances of the previous build and of this one read each other's entries
 * during a rolling deploy.
 */
interface RedisEnvelope {
  value: unknown;
  remote: RemoteStamp;
  /** usableUntil, epoch milliseconds. */
  until: number;
  created?: number;
  fresh_until?: number;
}

export interface RedisTierSettings {
  /** How long a key version lives: longer than any entry stamped with it, and any load. */
  versionTtlMs: number;
  guard: StaleSetGuard;
  listener: BusListener;
}

/**
 * One namespace's side of Redis: its entries (written and read under the stale-set guard), the
 * bus, the distributed single flight, its popularity ranking and a count of its entries. Changes
 * Redis or the bus could not take while it was away are replayed when it is back.
 */
export class RedisTier<V> {
  readonly demand: RedisDemand;
  readonly #flight: DistributedFlight;
  readonly #pending = new PendingChanges();
  /** Writes waiting for their changes to be taken ({@link settle}), and the retry loop they share. */
  #settlers = 0;
  #settling?: Promise<void>;
  readonly #count: RedisEntryCount;
  #versionTtlMs = 0;
  #guard?: StaleSetGuard;

  constructor(
    readonly namespace: string,
    readonly redis: RedisConnection,
    private readonly bus: InvalidationBus,
    readonly codec: ValueCodec<V>,
  ) {
    this.#flight = new DistributedFlight(redis);
    this.demand = new RedisDemand(redis, namespace);
    this.#count = new RedisEntryCount(
      redis,
      redis.keys.buckets.map((bucket) => redis.keys.index(namespace, bucket)),
    );
  }

  /** Starts the tier for its namespace: only a namespace that stores anything has one. */
  attach({ versionTtlMs, guard, listener }: RedisTierSettings): void {
    this.#versionTtlMs = versionTtlMs;
    this.#guard = guard;
    this.bus.register(this.namespace, listener);
    this.redis.onReady(() => void this.#replay());
    // A change the bus could not carry (breaker still open after a reconnection) is retried too.
    setInterval(() => void this.#replay(), EngineTunables.bus.replayEveryMs).unref();
    this.#count.start();
  }

  get connected(): boolean {
    return this.redis.connected;
  }

  /**
   * Subscribed to the bus, with whatever it may have missed already dropped, and Redis answering:
   * with the breaker open the channel's connection is likely dead too, before its client says so.
   */
  get hearsInvalidations(): boolean {
    return this.bus.listening && this.redis.guard.state !== 'open';
  }

  /**
   * Resolves true once Redis and the bus have taken every change this namespace owed them, false
   * if some are still owed at `deadline`. One retry loop serves every waiter, while any waits.
   */
  async settle(deadline: number): Promise<boolean> {
    this.#settlers++;
    try {
      while (!this.#pending.settled) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        this.#settling ??= this.#retryWhileAwaited().finally(() => (this.#settling = undefined));
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, left)));
        await Promise.race([this.#settling, late]);
        clearTimeout(timer);
      }
      return true;
    } finally {
      this.#settlers--;
    }
  }

  async #retryWhileAwaited(): Promise<void> {
    while (!this.#pending.settled && this.#settlers > 0) {
      await new Promise((resolve) => setTimeout(resolve, EngineTunables.consistency.retryEveryMs));
      await this.#replay();
    }
  }

  /**
   * The entry under `key`, if it is well formed, its value decodes, and no invalidation came
   * after it (stale-set step 3); undefined otherwise, or when Redis cannot say. One round trip
   * reads the entry and the versions it must match.
   */
  async read(key: string): Promise<CacheEntry<V> | undefined> {
    const current = await this.#staleSets().readCurrent(key);
    if (!current?.raw) return undefined;
    const envelope = parseEnvelope(current.raw);
    if (!envelope || !this.#staleSets().isCurrent(envelope.remote, current.versions)) return undefined;
    const value = this.codec.decode(envelope.value);
    if (value === undefined) return undefined;
    const usableUntil = envelope.until;
    const freshUntil = Math.min(envelope.fresh_until ?? usableUntil, usableUntil);
    return { value, createdAt: envelope.created ?? 0, freshUntil, usableUntil, stamp: envelope.remote };
  }

  /**
   * Writes an entry unless its key was invalidated since `stamp` (stale-set step 2); false when
   * refused. Throws when Redis is away.
   */
  async write(key: string, entry: CacheEntry<V>, stamp: RemoteStamp): Promise<boolean> {
    const ttlMs = Math.round(entry.usableUntil - Date.now());
    if (ttlMs <= 0) return true;
    const envelope: RedisEnvelope = {
      value: encodeWith(this.codec, entry.value),
      remote: stamp,
      until: entry.usableUntil,
      created: entry.createdAt,
      fresh_until: entry.freshUntil,
    };
    const written = await this.#staleSets().writeIfCurrent(key, stamp, JSON.stringify(envelope), {
      ttlMs,
      until: entry.usableUntil,
    });
    if (written) this.#count.soon();
    return written;
  }

  /**
   * Gives the keys new versions, deletes their entries, drops their flights and tells the other
   * instances. When Redis is away the keys are remembered and the invalidation is replayed when
   * it is back, so that no entry written before the change is served from Redis afterwards.
   */
  async invalidate(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const { client, keys: names, guard } = this.redis;
    try {
      await guard.run(() =>
        Promise.all(
          [...names.byBucket(keys)].map(([bucket, group]) =>
            client.eval(INVALIDATE, {
              keys: [
                names.index(this.namespace, bucket),
                ...group.flatMap((key) => [names.version(key), names.entry(this.namespace, key)]),
              ],
              arguments: [String(this.#versionTtlMs), ...group.flatMap((key) => [newVersionToken(), key])],
            }),
          ),
        ),
      );
    } catch {
      // Replayed when Redis is back; the other instances are told now all the same (in a cluster,
      // the bus's shard may be up while a bucket's is failing over).
      this.#pending.invalidation(keys);
    }
    await this.#flight.forget(keys);
    if (!(await this.bus.publish(this.namespace, [...keys]))) this.#pending.invalidation(keys);
  }

  /** A new generation hides every entry of the namespace; deleting them is only housekeeping. */
  async invalidateAll(): Promise<void> {
    const { client, keys, guard } = this.redis;
    try {
      await guard.run(() =>
        Promise.all(
          keys.buckets.map((bucket) =>
            client.eval(CLEAR, {
              keys: [keys.generation(this.namespace, bucket), keys.index(this.namespace, bucket)],
              arguments: [newVersionToken()],
            }),
          ),
        ),
      );
    } catch {
      this.#pending.clear();
    }
    void this.#deleteEntries();
    if (!(await this.bus.publish(this.namespace, undefined))) this.#pending.clear();
  }

  /**
   * Tells the other instances that `keys` have new values in Redis (their copies are outdated);
   * an announcement the bus could not carry is sent again when Redis is back.
   */
  async announce(keys: readonly string[]): Promise<void> {
    if (!(await this.bus.publish(this.namespace, [...keys]))) this.#pending.announcement(keys);
  }

  /** Tells the other instances that `keys` were stored (for those that watch the namespace). */
  async announceStored(keys: readonly string[]): Promise<void> {
    await this.bus.publishStored(this.namespace, [...keys]);
  }

  /** Up to `limit` keys of live entries, those that live longest first; empty when Redis cannot say. */
  async liveKeys(limit: number): Promise<string[]> {
    const { client, keys, guard } = this.redis;
    const now = Date.now();
    const found = await guard.tryRun(
      () =>
        Promise.all(
          keys.buckets.map((bucket) =>
            client.zRangeWithScores(keys.index(this.namespace, bucket), '+inf', now, {
              BY: 'SCORE',
              REV: true,
              LIMIT: { offset: 0, count: limit },
            }),
          ),
        ),
      [],
    );
    return found
      .flat()
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .map(({ value }) => value);
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
    return this.#count.value;
  }

  #staleSets(): StaleSetGuard {
    if (!this.#guard) throw new Error(`The Redis tier of "${this.namespace}" is not attached`);
    return this.#guard;
  }

  async #replay(): Promise<void> {
    if (this.redis.connected) await this.#pending.replay(this);
  }

  async #deleteEntries(): Promise<void> {
    const { keys, guard } = this.redis;
    await guard.tryRun(() => this.redis.unlinkMatching(keys.entryPattern(this.namespace)), undefined);
  }
}

function parseEnvelope(raw: string): RedisEnvelope | undefined {
  let envelope: Partial<RedisEnvelope>;
  try {
    envelope = JSON.parse(raw) as Partial<RedisEnvelope>;
  } catch {
    return undefined;
  }
  if (typeof envelope !== 'object' || envelope === null) return undefined;
  if (typeof envelope.until !== 'number' || !Number.isFinite(envelope.until)) return undefined;
  if (envelope.created !== undefined && !Number.isFinite(envelope.created)) return undefined;
  if (envelope.fresh_until !== undefined && !Number.isFinite(envelope.fresh_until)) return undefined;
  return envelope as RedisEnvelope;
}
