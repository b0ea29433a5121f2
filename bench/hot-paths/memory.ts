import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SERVICE_NODE_FLAGS } from '../support/processes.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../../test/support/postgres.js';
import { idleRss, type IdleRss } from './idle-rss.js';
import { runtimes, type Runtime } from './runtimes.js';

export interface PlansMemory {
  runtime: string;
  /** What 10,000 cached 2 KB plans add: RSS, and live heap after a full collection. */
  rss_mb: number;
  heap_mb: number;
}

export interface LayoutCost {
  layout: string;
  ns_per_hit: number[];
  ns_per_hit_4096_keys: number[];
  bytes_per_entry: number;
}

export interface MemoryResult {
  idle: IdleRss[];
  plans: PlansMemory[];
  layouts: { sizes: number[]; layouts: LayoutCost[] };
}

function micro<T>(script: string, runtime: Runtime, environment: Record<string, string> = {}): T {
  const run = spawnSync(
    runtime.node,
    [...SERVICE_NODE_FLAGS, '--expose-gc', join(import.meta.dirname, '..', 'micro', script)],
    {
      encoding: 'utf8',
      env: { ...process.env, ...environment },
    },
  );
  if (run.status !== 0) throw new Error(`${script} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as T;
}

interface PlansRss {
  rss: number;
  heap: number;
}

const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * What 10,000 cached plans add: processes keeping them against processes that cached and cleared
 * them (the same code and allocations, so young generations of one size); 3 pairs, medians.
 */
function plansMemory(runtime: Runtime): PlansMemory {
  const rss: number[] = [];
  const heap: number[] = [];
  for (let pair = 0; pair < 3; pair++) {
    const without = micro<PlansRss>('plans-rss.js', runtime, { PLANS: '10000', KEEP: '0' });
    const withPlans = micro<PlansRss>('plans-rss.js', runtime, { PLANS: '10000', KEEP: '1' });
    rss.push(withPlans.rss - without.rss);
    heap.push(withPlans.heap - without.heap);
  }
  return { runtime: runtime.name, rss_mb: megabytes(median(rss)), heap_mb: megabytes(median(heap)) };
}

/** The service's idle RSS on its defaults and on PostgreSQL, what cached plans add, and the in-process layouts. */
export async function memory(primary: Runtime): Promise<MemoryResult> {
  const idle: IdleRss[] = [];
  for (const runtime of runtimes()) idle.push(await idleRss('embedded PGlite (npm start defaults)', runtime));
  if (TEST_DATABASE_URL) {
    const database = await createTestDatabase();
    try {
      idle.push(await idleRss('PostgreSQL server (DATABASE_URL)', primary, { DATABASE_URL: database.url }));
    } finally {
      await database.drop();
    }
  }
  const plans = runtimes().map((runtime) => plansMemory(runtime));
  return { idle, plans, layouts: micro('l1-layouts.js', primary) };
}
