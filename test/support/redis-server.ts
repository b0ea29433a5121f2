import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
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

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    this.#process = spawn('redis-server', args, { stdio: 'ignore' });
    await this.#untilAnswering();
  }

  /** Kills the server at once, as a crash would. */
  async kill(): Promise<void> {
    const process = this.#process;
    this.#process = undefined;
    if (!process || process.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      process.once('exit', () => resolve());
      process.kill('SIGKILL');
    });
  }

  async #untilAnswering(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const client = createClient({ url: this.url, socket: { reconnectStrategy: false } });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.ping();
        await client.close();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not start`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
}

/** A server of its own for a describe block: started before its tests, killed after them. */
export function useRedisServer(): () => TestRedisServer {
  let server: TestRedisServer | undefined;
  beforeAll(async () => {
    server = await TestRedisServer.create();
    await server.start();
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
    const server = await TestRedisServer.create();
    await server.start();
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
