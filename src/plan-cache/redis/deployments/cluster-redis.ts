import { createCluster, type RedisClientType, type RedisClusterType } from '@redis/client';
import type { HostPort, RedisAccess } from '../../../config/index.js';
import { RedisDeployment } from '../redis-deployment.js';
import { nodeClientOptions, reconnectDelay } from './client-options.js';

/** How often the slots are asked for again while a node is away (a promotion takes seconds). */
const REDISCOVER_EVERY_MS = 500;
/** How often the primaries node-redis routes to are compared with the last seen (planned failovers). */
const COMPARE_PRIMARIES_EVERY_MS = 5000;

/**
 * A Redis Cluster (REDIS_CLUSTER_NODES, seeds): node-redis's Cluster client routes each command to
 * the primary of its key's slot and follows MOVED and ASK. It asks for the slots again only on
 * those replies (node-redis#2806), so a primary that dies leaves its slots on a dead connection:
 * while any node is away, the service has the slots rediscovered until every slot has a live
 * primary again. The bus is one sharded channel (SPUBLISH reaches one shard, not every node).
 */
export class ClusterRedis extends RedisDeployment {
  readonly mode = 'cluster' as const;
  readonly commands: RedisClusterType;
  #closing = false;
  #down = false;
  #primaries: string[] = [];
  #watch?: NodeJS.Timeout;

  constructor(nodes: HostPort[], access: RedisAccess, timeoutMs: number) {
    super();
    const defaults = nodeClientOptions(access, timeoutMs);
    this.commands = createCluster({
      rootNodes: nodes.map(({ host, port }) => ({ socket: { ...defaults.socket, host, port } })),
      defaults,
      useReplicas: false,
    });
    const lost = () => this.#lost();
    this.commands.on('node-error', lost);
    this.commands.on('node-disconnect', lost);
    this.commands.on('error', () => undefined);
  }

  /** Resolves once the slots are known; until then the seeds are asked again, with backoff. */
  async connect(): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      if (this.#closing) throw new Error('The Redis connection was closed before it was made');
      try {
        await this.commands.connect();
        this.#primaries = this.primaries();
        // A planned failover (CLUSTER FAILOVER) drops no connection: node-redis follows its MOVED
        // replies by itself, and the new primaries show here.
        this.#watch = setInterval(() => {
          if (this.#down || !this.ready || !this.#notePrimaries()) return;
          // Messages sent while the channel's shard changed hands may be lost: resubscribe, resync.
          this.emit('subscriber-lost');
          this.emit('subscriber-ready');
        }, COMPARE_PRIMARIES_EVERY_MS).unref();
        this.emit('ready');
        this.emit('subscriber-ready');
        return;
      } catch (error) {
        if (this.#closing) throw error;
        await new Promise((resolve) => setTimeout(resolve, reconnectDelay(attempt)).unref());
      }
    }
  }

  get ready(): boolean {
    const masters = this.commands.isOpen ? this.commands.masters : [];
    return masters.length > 0 && masters.every((master) => master.client?.isReady === true);
  }

  get subscriberReady(): boolean {
    return this.ready;
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<void> {
    await this.commands.sSubscribe(channel, listener);
  }

  async unsubscribe(channel: string): Promise<void> {
    await this.commands.sUnsubscribe(channel);
  }

  publish(channel: string, message: string): Promise<number> {
    return this.commands.sPublish(channel, message);
  }

  /** Each primary is scanned; keys of one node may lie in different slots, so each goes alone. */
  async unlinkMatching(pattern: string): Promise<void> {
    for (const master of this.commands.masters) {
      const client = (await this.commands.nodeClient(master)) as RedisClientType;
      let cursor = '0';
      do {
        const { cursor: next, keys } = await client.scan(cursor, { MATCH: pattern, COUNT: 1000 });
        await Promise.all(keys.map((key) => client.unlink(key)));
        cursor = next;
      } while (cursor !== '0');
    }
  }

  primaries(): string[] {
    return this.commands.isOpen ? this.commands.masters.map((master) => master.address).sort() : [];
  }

  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#watch);
    if (this.commands.isOpen) await this.commands.close().catch(() => this.commands.destroy());
  }

  /** Counts and reports each address that became a primary since the last look; whether any did. */
  #notePrimaries(): boolean {
    const primaries = this.primaries();
    const promoted = primaries.filter((address) => !this.#primaries.includes(address));
    for (const primary of promoted) {
      this.failovers += 1;
      this.emit('failover', primary);
    }
    this.#primaries = primaries;
    return promoted.length > 0;
  }

  #lost(): void {
    if (this.#closing || this.#down || !this.commands.isOpen) return;
    this.#down = true;
    this.emit('lost');
    this.emit('subscriber-lost');
    void this.#recover();
  }

  /** Asks for the slots until every one has a live primary, then reports any primary that changed. */
  async #recover(): Promise<void> {
    while (!this.#closing && this.commands.isOpen) {
      await new Promise((resolve) => setTimeout(resolve, REDISCOVER_EVERY_MS).unref());
      // Any node's client will do to start from: node-redis falls back to the seeds when it fails.
      const masters = this.commands.masters;
      const from = (masters.find((master) => master.client?.isReady) ?? masters[0])?.client;
      if (from) await this.commands._slots.rediscover(from as RedisClientType).catch(() => undefined);
      if (!this.ready) continue;
      this.#notePrimaries();
      this.#down = false;
      this.emit('ready');
      this.emit('subscriber-ready');
      return;
    }
  }
}
