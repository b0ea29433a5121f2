import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { RedisAccess } from '../../config/index.js';
import { ClusterRedis } from './deployments/cluster-redis.js';
import { SentinelRedis } from './deployments/sentinel-redis.js';
import { StandaloneRedis } from './deployments/standalone-redis.js';
import type { RedisCommands, RedisDeployment, RedisTopologyState } from './redis-deployment.js';
import { RedisGuard } from './redis-guard.js';
import { RedisKeys } from './redis-keys.js';

export interface RedisConnectionOptions {
  /** Which deployment (REDIS_MODE and its addresses), the ACL user and TLS. */
  access: RedisAccess;
  /** REDIS_KEY_PREFIX: the prefix of every key and channel. */
  keyPrefix: string;
  timeoutMs: number;
  breakerResetMs: number;
}

/**
 * The cache's Redis, whatever its deployment: commands, the bus's channel, and events when
 * either is lost or back. Start-up does not wait for Redis: while it is away, commands fail at
 * once (no offline queue) and the service works from its own memory and the source.
 */
export class RedisConnection {
  /** Tells this instance's bus messages from the others'. */
  readonly instanceId = randomUUID();
  readonly deployment: RedisDeployment;
  readonly client: RedisCommands;
  readonly guard: RedisGuard;
  readonly keys: RedisKeys;
  readonly #logger = new Logger('Redis');
  #closing = false;
  #fencing: RedisTopologyState['fencing'] = 'unknown';

  constructor(options: RedisConnectionOptions) {
    this.deployment = deploymentOf(options.access, options.timeoutMs);
    this.client = this.deployment.commands;
    const deployment = this.deployment;
    this.guard = new RedisGuard({
      timeoutMs: options.timeoutMs,
      resetMs: options.breakerResetMs,
      available: () => deployment.acceptsCommands,
    });
    this.keys = new RedisKeys(options.keyPrefix, this.deployment.mode === 'cluster');
    let down = false;
    this.deployment.on('lost', () => {
      if (down || this.#closing) return;
      down = true;
      this.#logger.warn(`Redis connection lost (${this.deployment.mode}); working without it until it returns`);
    });
    this.deployment.on('ready', () => {
      if (down) this.#logger.log('Redis connection is back');
      down = false;
      void this.guard.closeIfAnswering(() => this.client.ping());
    });
    this.deployment.on('ready', () => void this.#checkFencing());
    this.deployment.on('failover', (primary) =>
      this.#logger.warn(`Redis failover: ${primary} is now a primary; entries written before it are checked again`),
    );
  }

  /** Connects in the background; resolves at once. */
  start(): void {
    this.deployment.connect().catch((error: Error) => {
      if (!this.#closing)
        this.#logger.warn({ msg: 'Redis is not reachable at start-up; running degraded', err: error.message });
    });
  }

  /** Waits until commands and the subscription can run, at most `ms`; answers whether they can. */
  async ready(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!(this.deployment.ready && this.deployment.subscriberReady)) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return true;
  }

  get connected(): boolean {
    return this.deployment.ready;
  }

  /** Runs `listener` whenever commands can run again after Redis was away. */
  onReady(listener: () => void): void {
    this.deployment.on('ready', listener);
  }

  /** Deletes every key matching `pattern` on every primary (housekeeping, by SCAN). */
  unlinkMatching(pattern: string): Promise<void> {
    return this.deployment.unlinkMatching(pattern);
  }

  state(): RedisTopologyState {
    return { ...this.deployment.state(), fencing: this.#fencing };
  }

  /** Failover fencing reads the primary's replication id with INFO: say so when the ACL forbids it. */
  async #checkFencing(): Promise<void> {
    try {
      await this.client.info('replication');
      this.#fencing = 'on';
    } catch (error) {
      if (!(error as Error).message.startsWith('NOPERM')) return;
      if (this.#fencing !== 'off')
        this.#logger.warn(
          'The Redis user may not run INFO: entries are not fenced across failovers (grant +info, docs/decisions.md "Failovers")',
        );
      this.#fencing = 'off';
    }
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.guard.shutdown();
    await this.deployment.close();
  }
}

function deploymentOf(access: RedisAccess, timeoutMs: number): RedisDeployment {
  const { topology } = access;
  switch (topology.mode) {
    case 'standalone':
      return new StandaloneRedis(topology.url, access, timeoutMs);
    case 'sentinel':
      return new SentinelRedis(topology, access, timeoutMs);
    case 'cluster':
      return new ClusterRedis(topology.nodes, access, timeoutMs);
  }
}
