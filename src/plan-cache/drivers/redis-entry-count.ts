import type { RedisConnection } from '../redis/redis-connection.js';
import { EngineTunables } from '../tunables.js';

const { everyMs, afterChangeMs } = EngineTunables.entryCount;

/**
 * How many entries a namespace has in Redis, from its index of entries by expiry: the expired are
 * dropped, then the rest counted, O(expired + log n) and never a scan.
 */
export class RedisEntryCount {
  #count: number | null = null;
  #recountScheduled = false;

  constructor(
    private readonly redis: RedisConnection,
    private readonly index: string,
  ) {}

  start(): void {
    this.redis.client.on('ready', () => this.soon());
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
    const counted = await guard.tryRun(async () => {
      const [, count] = await client.multi().zRemRangeByScore(this.index, '-inf', Date.now()).zCard(this.index).exec();
      return Number(count);
    }, undefined);
    if (counted !== undefined) this.#count = counted;
  }
}
