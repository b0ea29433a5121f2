import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { createClient, type RedisClientType } from '@redis/client';
import { RedisGuard } from './redis-guard.js';
import { RedisKeys } from './redis-keys.js';

export interface RedisConnectionOptions {
  url: string;
  /** REDIS_KEY_PREFIX: the prefix of every key and channel. */
  keyPrefix: string;
  timeoutMs: number;
  breakerResetMs: number;
}

/** Reconnection backoff: quick at first, then at most every two seconds, forever. */
const reconnectDelay = (retries: number): number => Math.min(50 * 2 ** retries, 2000);

/**
 * The cache's Redis: a command client and a subscriber client, both reconnecting by themselves.
 * Start-up does not wait for Redis: while it is away, commands fail at once (no offline queue)
 * and the service works from its own memory and the source.
 */
export class RedisConnection {
  /** Tells this instance's bus messages from the others'. */
  readonly instanceId = randomUUID();
  readonly client: RedisClientType;
  readonly subscriber: RedisClientType;
  readonly guard: RedisGuard;
  readonly keys: RedisKeys;
  readonly #logger = new Logger('Redis');
  #closing = false;

  constructor(options: RedisConnectionOptions) {
    const socket = { connectTimeout: Math.max(options.timeoutMs, 1000), reconnectStrategy: reconnectDelay };
    this.client = createClient({ url: options.url, socket, disableOfflineQueue: true });
    this.subscriber = this.client.duplicate();
    this.guard = new RedisGuard({ timeoutMs: options.timeoutMs, resetMs: options.breakerResetMs });
    this.keys = new RedisKeys(options.keyPrefix);
    for (const [name, client] of [
      ['commands', this.client],
      ['subscriber', this.subscriber],
    ] as const) {
      let down = false;
      client.on('error', (error: Error) => {
        if (down || this.#closing) return;
        down = true;
        this.#logger.warn({
          msg: `Redis ${name} connection lost; working without it until it returns`,
          err: error.message,
        });
      });
      client.on('ready', () => {
        if (down) this.#logger.log(`Redis ${name} connection is back`);
        down = false;
      });
    }
  }

  /** Connects in the background; resolves at once. */
  start(): void {
    for (const client of [this.client, this.subscriber]) {
      client.connect().catch((error: Error) => {
        if (!this.#closing)
          this.#logger.warn({ msg: 'Redis is not reachable at start-up; running degraded', err: error.message });
      });
    }
  }

  /** Waits until both clients are connected, at most `ms`; answers whether they are. */
  async ready(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!(this.client.isReady && this.subscriber.isReady)) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return true;
  }

  get connected(): boolean {
    return this.client.isReady;
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.guard.shutdown();
    for (const client of [this.client, this.subscriber]) {
      if (!client.isOpen) continue;
      // A client still trying to reconnect has nothing to finish: stop it at once.
      if (client.isReady) await client.close().catch(() => client.destroy());
      else client.destroy();
    }
  }
}
