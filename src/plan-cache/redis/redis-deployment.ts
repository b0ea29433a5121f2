import { EventEmitter } from 'node:events';
import type { RedisClientType, RedisClusterType, RedisSentinelType } from '@redis/client';
import type { RedisMode } from '../../config/index.js';

/** The commands of any deployment: node-redis gives its three clients the same command methods. */
export type RedisCommands = RedisClientType | RedisClusterType | RedisSentinelType;

/** What readiness and /metrics say of the deployment. */
export interface RedisTopologyState {
  mode: RedisMode;
  /** `host:port` of the primaries in use (one, or one per cluster shard). */
  primaries: string[];
  /** Primary changes seen since start (a promotion after a failure, a Sentinel switch). */
  failovers: number;
  /**
   * Whether entries are fenced across failovers: off when the ACL user may not run INFO, unknown
   * until Redis has answered once.
   */
  fencing: 'on' | 'off' | 'unknown';
}

export interface DeploymentEvents {
  /** Commands can run (again). */
  ready: [];
  /** Commands cannot run until `ready`. */
  lost: [];
  /** The bus's subscription is (again) possible; messages sent meanwhile may be lost. */
  'subscriber-ready': [];
  'subscriber-lost': [];
  /** Another node became primary: what it holds may lack the last acknowledged writes. */
  failover: [primary: string];
}

/**
 * One kind of Redis deployment (standalone, Sentinel, Cluster) behind the same surface: the
 * commands, one channel of messages between instances, the primaries, and events when any of
 * them change. Reconnection and topology are node-redis's own (its Sentinel and Cluster clients).
 */
export abstract class RedisDeployment extends EventEmitter<DeploymentEvents> {
  abstract readonly mode: RedisMode;
  abstract readonly commands: RedisCommands;
  protected failovers = 0;

  /** Starts connecting; resolves once connected the first time, keeps trying in the background. */
  abstract connect(): Promise<void>;
  abstract get ready(): boolean;

  /**
   * False while a command would wait rather than fail (node-redis's Sentinel client holds commands
   * until a primary is found): the guard then fails calls at once instead of leaving them pending.
   */
  get acceptsCommands(): boolean {
    return true;
  }

  abstract get subscriberReady(): boolean;
  abstract subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  abstract unsubscribe(channel: string): Promise<void>;
  abstract publish(channel: string, message: string): Promise<unknown>;
  /** Deletes every key matching `pattern` (housekeeping: SCAN, never KEYS), on every primary. */
  abstract unlinkMatching(pattern: string): Promise<void>;
  abstract primaries(): string[];
  abstract close(): Promise<void>;

  state(): Omit<RedisTopologyState, 'fencing'> {
    return { mode: this.mode, primaries: this.primaries(), failovers: this.failovers };
  }
}
