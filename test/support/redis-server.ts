import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import type { RedisAccess } from '../../src/config/index.js';
import { freePort } from './free-port.js';

/** A redis-server binary on PATH lets the suites run, kill and restart servers of their own. */
export const REDIS_SERVER_AVAILABLE = spawnSync('redis-server', ['--version']).status === 0;
/** A Redis the suites that only need one may share, each under a key prefix of its own. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL;
export const SHARED_REDIS_AVAILABLE = REDIS_SERVER_AVAILABLE || TEST_REDIS_URL !== undefined;

/** Where a suite's Redis is, and the REDIS_KEY_PREFIX that keeps its keys apart. */
export interface TestRedis {
  url: string;
  prefix: string;
}

/** A throwaway redis-server on a free loopback port, nothing kept on disk. */
export class TestRedisServer {
  #process?: ChildProcess;

  private constructor(readonly port: number) {}

  static async create(): Promise<TestRedisServer> {
    return new TestRedisServer(await freePort());
  }

  /** A server started on a free port; another port is tried when a neighbour took the first. */
  static async started(): Promise<TestRedisServer> {
    for (let attempt = 1; ; attempt++) {
      const server = await TestRedisServer.create();
      try {
        await server.start();
        return server;
      } catch (error) {
        await server.kill();
        if (attempt === 3) throw error;
      }
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const process = spawn('redis-server', args, { stdio: 'ignore' });
    this.#process = process;
    await this.#untilAnswering(process);
  }

  /** Kills the server at once, as a crash would. */
  async kill(): Promise<void> {
    const process = this.#process;
    this.#process = undefined;
    await killAtOnce(process);
  }

  /**
   * Until our own server answers on the port. Suites run in parallel workers, and a port found free
   * may be taken by another worker's server before ours binds it: the answering server must be
   * this process (its pid), never a neighbour's, which would silently share keys.
   */
  async #untilAnswering(process: ChildProcess): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (process.exitCode !== null) throw new Error(`redis-server could not listen on port ${this.port}`);
      const client = createClient({ url: this.url, socket: { reconnectStrategy: false } });
      client.on('error', () => undefined);
      try {
        await client.connect();
        const info = await client.info('server');
        await client.close();
        if (!info.includes(`process_id:${process.pid}\r\n`)) throw new PortTakenError(this.port);
        return;
      } catch (error) {
        if (error instanceof PortTakenError) throw error;
        if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not start`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
}

/** kill -9 a redis-server (or any child), as a crash would; resolves once it has exited. */
export async function killAtOnce(process: ChildProcess | undefined): Promise<void> {
  if (!process || process.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    process.once('exit', () => resolve());
    process.kill('SIGKILL');
  });
}

class PortTakenError extends Error {
  constructor(port: number) {
    super(`another redis-server answers on port ${port}`);
  }
}

/** A server of its own for a describe block: started before its tests, killed after them. */
export function useRedisServer(): () => TestRedisServer {
  let server: TestRedisServer | undefined;
  beforeAll(async () => {
    server = await TestRedisServer.started();
  });
  afterAll(async () => {
    await server?.kill();
  });
  return () => {
    if (!server) throw new Error('the Redis server has not started');
    return server;
  };
}

/**
 * A Redis for a describe block that does not kill it: a redis-server of its own when the binary
 * is on PATH, else TEST_REDIS_URL under a fresh key prefix, whose keys are deleted after the
 * block (nothing else there is touched).
 */
export function useSharedRedis(): () => TestRedis {
  let held: SharedRedisLease | undefined;
  beforeAll(async () => {
    held = await leaseSharedRedis();
  });
  afterAll(async () => {
    await held?.release();
  });
  return () => {
    if (!held) throw new Error('the Redis of this suite is not ready');
    return held.redis;
  };
}

/** A shared Redis held until `release` (see {@link useSharedRedis}). */
export interface SharedRedisLease {
  redis: TestRedis;
  release(): Promise<void>;
}

export async function leaseSharedRedis(): Promise<SharedRedisLease> {
  if (REDIS_SERVER_AVAILABLE) {
    const server = await TestRedisServer.started();
    return { redis: { url: server.url, prefix: 'plan-cache' }, release: () => server.kill() };
  }
  const redis = { url: TEST_REDIS_URL!, prefix: `plan-cache-test-${randomBytes(6).toString('hex')}` };
  return { redis, release: () => deleteKeys(redis) };
}

async function deleteKeys({ url, prefix }: TestRedis): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) {
      if (keys.length > 0) await client.del(keys);
    }
  } finally {
    await client.close();
  }
}

/** The access settings of one standalone Redis, for a RedisConnection built by a test. */
export const standaloneAt = (url: string): RedisAccess => ({ topology: { mode: 'standalone', url } });
