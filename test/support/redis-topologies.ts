import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type RedisClientOptions } from '@redis/client';
import type { RedisAccess } from '../../src/config/index.js';
import { freePort } from './free-port.js';
import { killAtOnce } from './redis-server.js';
import { makeTlsFiles, type TlsFiles } from './tls-files.js';

/** The ACL user the service connects as: its own keys and channels only, no administration but INFO. */
export const APP_USER = { username: 'plan-cache', password: 'app-user-secret' };
const APP_USER_RULES = ['on', `>${APP_USER.password}`, '~plan-cache*', '&plan-cache*', '+@all', '-@dangerous', '+info'];
/** What the test itself and the servers among themselves use (replication, cluster set-up). */
const ADMIN = { username: 'default', password: 'admin-secret' };

/** One redis-server (or Sentinel) process of a topology. */
export class TopologyNode {
  #process?: ChildProcess;

  constructor(
    readonly port: number,
    private readonly args: string[],
    private readonly sentinelConfig?: string,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  start(): void {
    const args = this.sentinelConfig ? [this.sentinelConfig, '--sentinel', ...this.args] : this.args;
    this.#process = spawn('redis-server', args, { stdio: 'ignore' });
  }

  get running(): boolean {
    return this.#process !== undefined && this.#process.exitCode === null;
  }

  /** SIGSTOP: the process keeps its connections but does nothing (a replica that falls behind). */
  pause(): void {
    this.#process?.kill('SIGSTOP');
  }

  resume(): void {
    this.#process?.kill('SIGCONT');
  }

  /** kill -9, as a crash. */
  async kill(): Promise<void> {
    const process = this.#process;
    this.#process = undefined;
    await killAtOnce(process);
  }
}

interface TopologyOptions {
  tls: boolean;
}

/** Servers of one test: a folder, certificates when TLS, and the admin's client options. */
export abstract class Topology {
  readonly dir = mkdtempSync(join(tmpdir(), 'plan-cache-redis-'));
  readonly tls?: TlsFiles;
  readonly nodes: TopologyNode[] = [];

  constructor(options: TopologyOptions) {
    if (options.tls) this.tls = makeTlsFiles(this.dir);
  }

  /** The service's settings: the app's ACL user, and TLS trusting the test's CA. */
  abstract access(): RedisAccess;

  /** The same as the environment of a service instance. */
  abstract variables(): Record<string, string>;

  /**
   * A failover that loses writes: the replica of the primary holding `key` stops taking its
   * stream, `work` runs (its writes acknowledged by the primary alone), the primary is killed
   * (kill -9), the replica resumes and is promoted. Resolves once the promotion is done.
   */
  abstract crashPrimaryLosingWrites(key: string, work: () => Promise<void>): Promise<void>;

  protected accessVariables(): Record<string, string> {
    return {
      PLAN_CACHE_REDIS_ENABLED: 'true',
      REDIS_USERNAME: APP_USER.username,
      REDIS_PASSWORD: APP_USER.password,
      ...(this.tls ? { REDIS_TLS: 'true', REDIS_TLS_CA_FILE: this.tls.ca } : {}),
    };
  }

  protected serverArgs(port: number): string[] {
    // A replica syncs at once (not after the default 5 s a diskless sync waits for others).
    const common = [
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      this.dir,
      '--repl-diskless-sync-delay',
      '0',
    ];
    const auth = [
      '--requirepass',
      ADMIN.password,
      '--masterauth',
      ADMIN.password,
      '--user',
      APP_USER.username,
      ...APP_USER_RULES,
    ];
    return [...common, ...this.listenArgs(port), ...auth];
  }

  /** Where a server or Sentinel listens: plain, or TLS only (no client certificates asked). */
  listenArgs(port: number): string[] {
    if (!this.tls) return ['--port', String(port)];
    const { cert, key, ca } = this.tls;
    return [
      ...['--port', '0', '--tls-port', String(port), '--tls-cert-file', cert, '--tls-key-file', key],
      ...['--tls-ca-cert-file', ca, '--tls-auth-clients', 'no', '--tls-replication', 'yes'],
    ];
  }

  /** Options of a plain node-redis client for the test's own checks (as the admin). */
  adminOptions(port: number): RedisClientOptions {
    return {
      username: ADMIN.username,
      password: ADMIN.password,
      socket: this.tls
        ? { host: '127.0.0.1', port, tls: true, ca: readFileSync(this.tls.ca, 'utf8'), reconnectStrategy: false }
        : { host: '127.0.0.1', port, reconnectStrategy: false },
    };
  }

  async admin<T>(port: number, work: (client: ReturnType<typeof createClient>) => Promise<T>): Promise<T> {
    const client = createClient(this.adminOptions(port));
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await work(client);
    } finally {
      client.destroy();
    }
  }

  protected async untilAnswering(node: TopologyNode, deadlineMs = 30_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      try {
        await this.admin(node.port, (client) => client.ping());
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`redis on ${node.address} did not start`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  /**
   * The replica stops (SIGSTOP) and the primary drops its link: what the primary acknowledges
   * from now on reaches no replica (a stopped replica would still find it in its socket buffer).
   */
  protected async cutReplication(primaryPort: number, replica: TopologyNode): Promise<void> {
    replica.pause();
    await this.admin(primaryPort, (client) => client.sendCommand(['CLIENT', 'KILL', 'TYPE', 'replica']));
  }

  /** Until every live replica among `nodes` has its link to its primary up. */
  protected async untilReplicasInSync(nodes: TopologyNode[], deadlineMs = 60_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const links = await Promise.all(
        nodes
          .filter((node) => node.running)
          .map((node) =>
            this.admin(node.port, (client) => client.info('replication')).then(
              (info) => !info.includes('role:slave') || info.includes('master_link_status:up'),
              () => false,
            ),
          ),
      );
      if (links.every(Boolean)) return;
      if (Date.now() > deadline) throw new Error('replicas are not in sync');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  protected redisCli(args: string[]): Promise<string> {
    const tls = this.tls ? ['--tls', '--cacert', this.tls.ca] : [];
    return new Promise((resolve, reject) => {
      const child = spawn('redis-cli', [
        ...tls,
        '--user',
        ADMIN.username,
        '--pass',
        ADMIN.password,
        '--no-auth-warning',
        ...args,
      ]);
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('exit', (code) =>
        code === 0 ? resolve(output) : reject(new Error(`redis-cli ${args.join(' ')}: ${output}`)),
      );
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.kill()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  protected accessBase(): Omit<RedisAccess, 'topology'> {
    return {
      ...APP_USER,
      tls: this.tls ? { ca: readFileSync(this.tls.ca, 'utf8') } : undefined,
    };
  }
}

/** A Redis Cluster of 3 primaries and 3 replicas (`redis-cli --cluster create`), failing over within seconds. */
export class TestRedisCluster extends Topology {
  static async started(options: TopologyOptions): Promise<TestRedisCluster> {
    const cluster = new TestRedisCluster(options);
    for (let i = 0; i < 6; i++) {
      const port = await freePort();
      const args = [
        ...cluster.serverArgs(port),
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '1000',
        ...(options.tls ? ['--tls-cluster', 'yes'] : []),
      ];
      cluster.nodes.push(new TopologyNode(port, args));
    }
    for (const node of cluster.nodes) node.start();
    await Promise.all(cluster.nodes.map((node) => cluster.untilAnswering(node)));
    await cluster.redisCli([
      '--cluster',
      'create',
      ...cluster.nodes.map((node) => node.address),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    await cluster.untilHealthy();
    await cluster.untilReplicasInSync(cluster.nodes);
    return cluster;
  }

  access(): RedisAccess {
    return {
      ...this.accessBase(),
      topology: { mode: 'cluster', nodes: this.nodes.slice(0, 2).map(({ port }) => ({ host: '127.0.0.1', port })) },
    };
  }

  variables(): Record<string, string> {
    return {
      ...this.accessVariables(),
      REDIS_MODE: 'cluster',
      REDIS_CLUSTER_NODES: this.nodes
        .slice(0, 2)
        .map((node) => node.address)
        .join(','),
    };
  }

  /** Until every live node says the cluster is ok (all slots served). */
  async untilHealthy(deadlineMs = 60_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const states = await Promise.all(
        this.nodes
          .filter((node) => node.running)
          .map((node) =>
            this.admin(node.port, (client) => client.clusterInfo()).then(
              (info) => /cluster_state:(\w+)/.exec(String(info))?.[1] ?? 'unknown',
              () => 'down',
            ),
          ),
      );
      if (states.every((state) => state === 'ok')) return;
      if (Date.now() > deadline) throw new Error(`the cluster is not ok: ${states.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The ports of the primaries, from a live node's view. */
  async primaryPorts(): Promise<number[]> {
    const live = this.nodes.find((node) => node.running)!;
    const slots = await this.admin(live.port, (client) => client.clusterSlots());
    return [...new Set(slots.map((range) => range.master.port))];
  }

  node(port: number): TopologyNode {
    return this.nodes.find((node) => node.port === port)!;
  }

  async crashPrimaryLosingWrites(key: string, work: () => Promise<void>): Promise<void> {
    const live = this.nodes.find((node) => node.running)!;
    const { primary, replica } = await this.admin(live.port, async (client) => {
      const slot = await client.clusterKeySlot(key);
      // CLUSTER NODES: `<id> <host:port@bus> <flags> <primary id|-> … <slot ranges>`.
      const nodes = (await client.sendCommand<string>(['CLUSTER', 'NODES']))
        .trim()
        .split('\n')
        .map((line) => line.split(' '));
      const portOf = (fields: string[]) => Number(fields[1].split('@')[0].split(':').at(-1));
      const owner = nodes.find((fields) =>
        fields.slice(8).some((range) => {
          const [from, to = from] = range.split('-').map(Number);
          return from <= slot && slot <= to;
        }),
      )!;
      const follower = nodes.find((fields) => fields[2].includes('slave') && fields[3] === owner[0])!;
      return { primary: portOf(owner), replica: portOf(follower) };
    });
    await this.cutReplication(primary, this.node(replica));
    try {
      await work();
      await this.node(primary).kill();
    } finally {
      this.node(replica).resume();
    }
    await this.untilPrimary(replica);
    await this.untilHealthy();
  }

  /** Until a live node names `port` a primary. */
  async untilPrimary(port: number, deadlineMs = 60_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (!(await this.primaryPorts().catch((): number[] => [])).includes(port)) {
      if (Date.now() > deadline) throw new Error(`${port} was not promoted`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** A primary, its replica, and three Sentinels watching them (quorum 2), failing over within seconds. */
export class TestRedisSentinels extends Topology {
  static readonly MASTER_NAME = 'plan-cache-primary';
  static readonly SENTINEL_PASSWORD = 'sentinel-secret';
  primary!: TopologyNode;
  replica!: TopologyNode;
  sentinels: TopologyNode[] = [];

  static async started(options: TopologyOptions): Promise<TestRedisSentinels> {
    const set = new TestRedisSentinels(options);
    const [primaryPort, replicaPort] = [await freePort(), await freePort()];
    set.primary = new TopologyNode(primaryPort, set.serverArgs(primaryPort));
    set.replica = new TopologyNode(replicaPort, [
      ...set.serverArgs(replicaPort),
      '--replicaof',
      '127.0.0.1',
      String(primaryPort),
    ]);
    set.nodes.push(set.primary, set.replica);
    set.primary.start();
    await set.untilAnswering(set.primary);
    set.replica.start();
    await set.untilAnswering(set.replica);
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const config = join(set.dir, `sentinel-${port}.conf`);
      writeFileSync(config, set.sentinelConfig(primaryPort));
      const sentinel = new TopologyNode(port, ['--bind', '127.0.0.1', ...set.listenArgs(port)], config);
      set.sentinels.push(sentinel);
      set.nodes.push(sentinel);
      sentinel.start();
    }
    await set.untilSentinelsAgree(primaryPort);
    await set.untilReplicasInSync([set.replica]);
    return set;
  }

  sentinelConfig(primaryPort: number): string {
    return [
      `dir ${this.dir}`,
      `requirepass ${TestRedisSentinels.SENTINEL_PASSWORD}`,
      `sentinel monitor ${TestRedisSentinels.MASTER_NAME} 127.0.0.1 ${primaryPort} 2`,
      `sentinel auth-pass ${TestRedisSentinels.MASTER_NAME} ${ADMIN.password}`,
      `sentinel down-after-milliseconds ${TestRedisSentinels.MASTER_NAME} 1000`,
      `sentinel failover-timeout ${TestRedisSentinels.MASTER_NAME} 5000`,
      `sentinel parallel-syncs ${TestRedisSentinels.MASTER_NAME} 1`,
      '',
    ].join('\n');
  }

  access(): RedisAccess {
    return {
      ...this.accessBase(),
      topology: {
        mode: 'sentinel',
        sentinels: this.sentinels.map(({ port }) => ({ host: '127.0.0.1', port })),
        masterName: TestRedisSentinels.MASTER_NAME,
        sentinelPassword: TestRedisSentinels.SENTINEL_PASSWORD,
      },
    };
  }

  variables(): Record<string, string> {
    return {
      ...this.accessVariables(),
      REDIS_MODE: 'sentinel',
      REDIS_SENTINELS: this.sentinels.map((node) => node.address).join(','),
      REDIS_SENTINEL_MASTER: TestRedisSentinels.MASTER_NAME,
      REDIS_SENTINEL_PASSWORD: TestRedisSentinels.SENTINEL_PASSWORD,
    };
  }

  async crashPrimaryLosingWrites(_key: string, work: () => Promise<void>): Promise<void> {
    const [primary, replica] = [this.primary, this.replica];
    await this.cutReplication(primary.port, replica);
    try {
      await work();
      await primary.kill();
    } finally {
      replica.resume();
    }
    await this.untilSentinelsAgree(replica.port);
    [this.primary, this.replica] = [replica, primary];
  }

  /** Until every Sentinel names `primaryPort` as the primary and knows the replica and the other Sentinels. */
  async untilSentinelsAgree(primaryPort: number, deadlineMs = 60_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const views = await Promise.all(
        this.sentinels
          .filter((node) => node.running)
          .map((sentinel) => this.#sentinelView(sentinel).catch(() => undefined)),
      );
      if (views.every((view) => view && view.port === primaryPort && view.sentinels >= 2 && view.replicas >= 1)) {
        return;
      }
      if (Date.now() > deadline)
        throw new Error(`the Sentinels do not agree on ${primaryPort}: ${JSON.stringify(views)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async #sentinelView(sentinel: TopologyNode): Promise<{ port: number; sentinels: number; replicas: number }> {
    const client = createClient({
      password: TestRedisSentinels.SENTINEL_PASSWORD,
      socket: this.tls
        ? {
            host: '127.0.0.1',
            port: sentinel.port,
            tls: true,
            ca: readFileSync(this.tls.ca, 'utf8'),
            reconnectStrategy: false,
          }
        : { host: '127.0.0.1', port: sentinel.port, reconnectStrategy: false },
    });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const master = await client.sendCommand<string[]>(['SENTINEL', 'MASTER', TestRedisSentinels.MASTER_NAME]);
      const field = (name: string) => master[master.indexOf(name) + 1];
      return {
        port: Number(field('port')),
        sentinels: Number(field('num-other-sentinels')),
        replicas: Number(field('num-slaves')),
      };
    } finally {
      client.destroy();
    }
  }
}
