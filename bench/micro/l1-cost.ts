import { CacheNamespace } from '../../src/plan-cache/cache/cache-namespace.js';
import { TASK_PLAN_ENTRY_VERSION, type TaskPlanEntry } from '../../src/chat/task-plan-cache/task-plan-entry.js';

/**
 * In-process measurements, printed as one JSON line: what a hit costs as the in-process tier
 * grows (100 to 100,000 entries), and what 10,000 cached 2 KB plans add to the RSS. Run with
 * --expose-gc so that memory is measured after collection.
 */
const gc = (globalThis as { gc?: (options?: { type: 'major'; flavor: 'last-resort' }) => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
/** A compacting collection that also hands freed pages back to the system, as an idle service's does in time. */
const compact = () => gc({ type: 'major', flavor: 'last-resort' });

const LOOKUPS = 1_000_000;

function plan(index: number): TaskPlanEntry {
  const now = Date.now();
  // 2 KB of plan text, different for every entry so that no string is shared.
  const text = `Plan ${index}\n${'1. A step of the plan, phrased for the goal.\n'.repeat(46)}`.slice(0, 2048);
  return {
    v: TASK_PLAN_ENTRY_VERSION,
    goal: `goal number ${index}`,
    context_hash: index.toString(16).padStart(64, '0'),
    plan: text,
    created_at: now,
    fresh_until: now + 3_600_000,
    generation_ms: 2500,
  };
}

async function filled(entries: number): Promise<CacheNamespace<TaskPlanEntry>> {
  const namespace = new CacheNamespace<TaskPlanEntry>('plan', { enabled: true, ttlSeconds: 3600, maxEntries: entries });
  for (let index = 0; index < entries; index++) {
    const key = `plan:${index.toString(16).padStart(16, '0')}`;
    await namespace.set(key, plan(index), await namespace.stamp(key));
  }
  return namespace;
}

const SIZES = [100, 1_000, 10_000, 100_000];
const ROUNDS = 5;

/** Keys that hit: `distinct` of them, spread evenly over a cache of `entries`, cycled through. */
function keysFor(entries: number, distinct: number): string[] {
  const step = Math.max(1, Math.floor(entries / distinct));
  return Array.from(
    { length: 4096 },
    (_, i) => `plan:${(((i % distinct) * step) % entries).toString(16).padStart(16, '0')}`,
  );
}

/** ns per hit of one timed run of LOOKUPS reads. */
function timedHits(namespace: CacheNamespace<TaskPlanEntry>, keys: string[]): number {
  let found = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < LOOKUPS; i++) if (namespace.get(keys[i & 4095])) found++;
  const elapsed = Number(process.hrtime.bigint() - started);
  if (found !== LOOKUPS) throw new Error(`expected every lookup to hit, ${found} did`);
  return elapsed / LOOKUPS;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * ns per hit for every cache size, cycling over a hot set of 100 keys (as a skewed, Zipf-like
 * workload does) and over 4,096 keys spread over the cache (memory-bound). The sizes are measured
 * in turns, ROUNDS times, and the median counts, so that a machine whose speed drifts weighs on
 * all sizes alike.
 */
async function hitCosts(): Promise<MicroHitCost[]> {
  const caches = [];
  for (const entries of SIZES) caches.push({ entries, namespace: await filled(entries) });
  gc!(); // the fills' garbage is collected now, not during the measurements
  const samples = caches.map(() => ({ hot: [] as number[], wide: [] as number[] }));
  for (let round = 0; round < ROUNDS; round++) {
    caches.forEach(({ entries, namespace }, index) => {
      samples[index].hot.push(timedHits(namespace, keysFor(entries, 100)));
      samples[index].wide.push(timedHits(namespace, keysFor(entries, 4096)));
    });
  }
  return caches.map(({ entries }, index) => ({
    entries,
    ns_per_hit: Math.round(median(samples[index].hot)),
    ns_per_hit_4096_keys: Math.round(median(samples[index].wide)),
  }));
}

interface MicroHitCost {
  entries: number;
  ns_per_hit: number;
  ns_per_hit_4096_keys: number;
}

/**
 * A running service's young generation has long grown to its working size: short-lived garbage
 * first brings this process there, so that the figure is what the plans add, not the collector's
 * first growth (16 MB and more on its own).
 */
function warmYoungGeneration(): void {
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += new Array<number>(256).fill(i).length;
  if (sink === 0) throw new Error('unreachable');
}

const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function memoryOf10kPlans(): Promise<{ rss: number; heap: number }> {
  warmYoungGeneration();
  compact();
  const before = process.memoryUsage();
  const namespace = await filled(10_000);
  compact();
  const after = process.memoryUsage();
  if (namespace.peek('plan:0000000000000000') === undefined) throw new Error('the plans were not kept');
  return { rss: megabytes(after.rss - before.rss), heap: megabytes(after.heapUsed - before.heapUsed) };
}

const memory = await memoryOf10kPlans();
const costs = await hitCosts();
process.stdout.write(
  `${JSON.stringify({ hit_cost: costs, rss_mb_for_10k_2kb_plans: memory.rss, heap_mb_for_10k_2kb_plans: memory.heap })}\n`,
);
