import { createClient, type RedisClientType } from '@redis/client';
import type { RedisAccess } from '../../../config/index.js';
import { RedisDeployment } from '../redis-deployment.js';
import { nodeClientOptions, unlinkByScan } from './client-options.js';

/** One Redis server (REDIS_URL): a command client and a subscriber client, each reconnecting by itself. */
export class StandaloneRedis extends RedisDeployment {
  readonly mode = 'standalone' as const;
  readonly commands: RedisClientType;
  readonly #subscriber: RedisClientType;
  readonly #address: string;

  constructor(url: string, access: RedisAccess, timeoutMs: number) {
    super();
    // REDIS_TLS=true with a redis:// URL means TLS: node-redis wants the scheme to say it too.
    const scheme = access.tls ? url.replace(/^redis:/, 'rediss:') : url;
    this.commands = createClient({ ...nodeClientOptions(access, timeoutMs), url: scheme });
    this.#subscriber = this.commands.duplicate();
    const { hostname, port } = new URL(url);
    this.#address = `${hostname}:${port || '6379'}`;
    relay(
      this.commands,
      () => this.emit('ready'),
      () => this.emit('lost'),
    );
    relay(
      this.#subscriber,
      () => this.emit('subscriber-ready'),
      () => this.emit('subscriber-lost'),
    );
  }

  async connect(): Promise<void> {
    await Promise.all([this.commands.connect(), this.#subscriber.connect()]);
  }

  get ready(): boolean {
    return this.commands.isReady;
  }

  get subscriberReady(): boolean {
    return this.#subscriber.isReady;
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<void> {
    await this.#subscriber.subscribe(channel, listener);
  }

  async unsubscribe(channel: string): Promise<void> {
    await this.#subscriber.unsubscribe(channel);
  }

  publish(channel: string, message: string): Promise<number> {
    return this.commands.publish(channel, message);
  }

  unlinkMatching(pattern: string): Promise<void> {
    return unlinkByScan(this.commands, pattern);
  }

  primaries(): string[] {
    return [this.#address];
  }

  async close(): Promise<void> {
    for (const client of [this.commands, this.#subscriber]) {
      if (!client.isOpen) continue;
      // A client still trying to reconnect has nothing to finish: stop it at once.
      if (client.isReady) await client.close().catch(() => client.destroy());
      else client.destroy();
    }
  }
}

function relay(client: RedisClientType, ready: () => void, lost: () => void): void {
  client.on('ready', ready);
  client.on('error', lost);
  client.on('end', lost);
}
