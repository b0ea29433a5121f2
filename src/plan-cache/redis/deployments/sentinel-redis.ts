import { createSentinel, type RedisSentinelType } from '@redis/client';
import type { HostPort, RedisAccess } from '../../../config/index.js';
import { RedisDeployment } from '../redis-deployment.js';
import { nodeClientOptions, unlinkByScan } from './client-options.js';

interface SentinelTopology {
  sentinels: HostPort[];
  masterName: string;
  sentinelPassword?: string;
}

/** The primary node-redis's Sentinel client follows, as `host:port`. */
const addressOf = (node: { host: string; port: number }): string => `${node.host}:${node.port}`;

/**
 * A primary with replicas watched by Sentinel (REDIS_SENTINELS, REDIS_SENTINEL_MASTER): node-redis's
 * Sentinel client asks the Sentinels for the primary, follows `+switch-master`, and resubscribes
 * the channel on the new primary; a promotion is reported as a failover.
 */
export class SentinelRedis extends RedisDeployment {
  readonly mode = 'sentinel' as const;
  readonly commands: RedisSentinelType;
  #primary?: string;
  #closing = false;
  /**
   * Until the first connection, and from a lost primary until a command runs again (unlike the
   * cluster's, which starts up: node-redis's Sentinel client would hold a command sent before it).
   */
  #down = true;

  constructor(topology: SentinelTopology, access: RedisAccess, timeoutMs: number) {
    super();
    const options = nodeClientOptions(access, timeoutMs);
    this.commands = createSentinel({
      name: topology.masterName,
      sentinelRootNodes: topology.sentinels,
      nodeClientOptions: options,
      sentinelClientOptions: {
        socket: options.socket,
        ...(topology.sentinelPassword === undefined ? {} : { password: topology.sentinelPassword }),
      },
      // node-redis gives up its first connection after this many rounds (a second apart) and cannot
      // be connected again: keep asking until the Sentinels answer, as a standalone client does.
      maxCommandRediscovers: Number.MAX_SAFE_INTEGER,
      // The client's own connection errors are told only this way ("Master Client (host:port): …").
      passthroughClientErrorEvents: true,
    });
    // Only the primary's own connection errors say it is lost ("Master Client (host:port): …"); the
    // rest (a Sentinel, a replica, the clients that ask the Sentinels) leave it usable. The channel's
    // errors cannot be told from the latter: a channel lost alone is resubscribed by node-redis
    // without a resync (messages sent meanwhile are missed; docs/decisions.md).
    this.commands.on('error', (error: unknown) => {
      const from = error instanceof Error ? /^Master Client \(([^)]+)\)/.exec(error.message)?.[1] : undefined;
      // A client of the primary before a switch may still report its end: only the current one counts.
      if (from !== undefined && (this.#primary === undefined || from === this.#primary)) this.#lost();
    });
    this.commands.on('topology-change', (event: { type: string; node?: { host: string; port: number } }) => {
      if (event.type !== 'MASTER_CHANGE' || !event.node) return;
      const primary = addressOf(event.node);
      if (this.#primary !== undefined && this.#primary !== primary) {
        this.failovers += 1;
        this.emit('failover', primary);
        // Messages sent to the old primary may be lost: the bus subscribes again and resyncs.
        this.#lost();
      }
      this.#primary = primary;
    });
  }

  /** Resolves once a primary is found; until then node-redis asks the Sentinels again every second. */
  async connect(): Promise<void> {
    await this.commands.connect();
    this.#back();
  }

  // node-redis's isReady stays true from the first connection to close(): the service keeps its own.
  get ready(): boolean {
    return this.commands.isReady && !this.#down;
  }

  get subscriberReady(): boolean {
    return this.ready;
  }

  override get acceptsCommands(): boolean {
    return this.ready;
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<void> {
    await this.commands.subscribe(channel, listener);
  }

  async unsubscribe(channel: string): Promise<void> {
    await this.commands.unsubscribe(channel);
  }

  publish(channel: string, message: string): Promise<number> {
    return this.commands.publish(channel, message);
  }

  unlinkMatching(pattern: string): Promise<void> {
    return unlinkByScan(this.commands, pattern);
  }

  primaries(): string[] {
    const node = this.commands.isOpen ? this.commands.getMasterNode() : undefined;
    return node ? [addressOf(node)] : [];
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.commands.isOpen) await this.commands.close().catch(() => this.commands.destroy());
  }

  #lost(): void {
    if (this.#closing || this.#down) return;
    this.#down = true;
    this.emit('lost');
    this.emit('subscriber-lost');
    void this.#awaitBack();
  }

  /** node-redis finds the primary again by itself (a command waits for it): tell the service when it has. */
  async #awaitBack(): Promise<void> {
    while (this.#down && !this.#closing) {
      const answered = await this.commands.ping().then(
        () => true,
        () => false,
      );
      if (answered) this.#back();
      else await new Promise((resolve) => setTimeout(resolve, 1000).unref());
    }
  }

  #back(): void {
    this.#down = false;
    this.emit('ready');
    this.emit('subscriber-ready');
  }
}
