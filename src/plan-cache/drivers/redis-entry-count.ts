import type { RedisConnection } from '../redis/redis-connection.js';
import { EngineTunables } from '../tunables.js';

const { everyMs, afterChangeMs } = EngineTunables.entryCount;

/** Drops an index's expired entries and counts the rest. KEYS: the index. ARGV: now, epoch ms. */
const COUNT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
return redis.call('ZCARD', KEYS[1])`;

/**
 * How many entries a namespace has in Redis, from its indexes of entries by expiry (one, or one per
 * bucket in a cluster): the expired are dropped, then the rest counted, O(expired + log n) and
 * never a scan.
 */
export class RedisEntryCount {
  #count: number | null = null;
  #recountScheduled = false;

  constructor(
    private readonly redis: RedisConnection,
    private readonly indexes: readonly string[],
  ) {}

  start(): void {
    this.redis.onReady(() => this.soon());
    setInterval(() => void this.#recount(), everyMs).unref();
    if (this.redis.connected) this.soon();
  }

  /** The last count (at most about a second old), or null while Redis is not connected. */
  get value(): number | null {
    return this.redis.connected ? this.#count : null;
  }

  /** Counts again shortly after a change, once for a burst of them (warming writes many). */
  soon(): void {
    if (this.#recountScheduled) return;
    this.#recountScheduled = true;
    setTimeout(() => {
      this.#recountScheduled = false;
      void this.#recount();
    }, afterChangeMs).unref();
  }

  async #recount(): Promise<void> {
    if (!this.redis.connected) return;
    const { client, guard } = this.redis;
    const now = String(Date.now());
    const counted = await guard.tryRun(async () => {
      const counts = await Promise.all(
        this.indexes.map((index) => client.eval(COUNT, { keys: [index], arguments: [now] })),
      );
      return counts.reduce<number>((sum, count) => sum + Number(count), 0);
    }, undefined);
    if (counted !== undefined) this.#count = counted;
  }
}
