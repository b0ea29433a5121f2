import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/common/package-root.js';
import { freePort } from '../../test/support/free-port.js';
import { ServiceProcess, type ProcessOptions } from '../../test/support/service-process.js';
import { pinServer } from './cores.js';

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-at-least-32-characters';

/** The Node flags `npm start` and the image run the service with (package.json config.node_flags). */
export const SERVICE_NODE_FLAGS: string[] = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { config: { node_flags: string } }
).config.node_flags.split(' ');

const STARTUP_DEADLINE_MS = 180_000;

export interface Running {
  url: string;
  process: ServiceProcess;
  /** SIGTERM, then the exit code; its data directory goes with it. */
  stop(): Promise<number | null>;
}

async function launch(environment: Record<string, string>, options: ProcessOptions): Promise<Running> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'plan-cache-bench-'));
  const process = new ServiceProcess(
    { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ...environment },
    options,
  );
  try {
    // A first start runs initdb (PGlite, WebAssembly under --liftoff-only): on a busy shared machine, over a minute.
    await process.listening(STARTUP_DEADLINE_MS);
    pinServer(process.pid!);
  } catch (error) {
    process.kill();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    process,
    async stop() {
      process.signal('SIGTERM');
      const code = await process.exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/**
 * The built service in production mode, with the sample plans (the "seeded list" of the report);
 * `environment` adds to or overrides its settings.
 */
export function startService(
  environment: Record<string, string> = {},
  nodeArgs: string[] = [],
  script?: string,
  node?: string,
): Promise<Running> {
  return launch(
    { NODE_ENV: 'production', ADMIN_TOKEN: BENCH_ADMIN_TOKEN, DATABASE_SEED: 'true', ...environment },
    { nodeArgs: [...SERVICE_NODE_FLAGS, ...nodeArgs], script, node },
  );
}

/** A baseline of bench/peers serving the bytes in `bodyFile`. */
export function startPeer(
  name: 'node-http' | 'bare-fastify' | 'stock-nest-cache' | 'stock-nest-fastify' | 'fastify-ladder',
  bodyFile: string,
  environment: Record<string, string> = {},
  node?: string,
): Promise<Running> {
  return launch({ BODY_FILE: bodyFile, ...environment }, { script: `dist-bench/bench/peers/${name}.js`, node });
}

export const adminHeaders = {
  authorization: `Bearer ${BENCH_ADMIN_TOKEN}`,
  'content-type': 'application/json',
};

export async function getJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
