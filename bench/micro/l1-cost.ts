import { CacheNamespace } from '../../src/plan-cache/cache/cache-namespace.js';
import type { TaskPlanEntry } from '../../src/chat/task-plan-cache/task-plan-entry.js';
import { cachedPlan } from './cached-plan.js';
import { median, timedHits } from './timed-hits.js';

/**
 * In-process measurements, printed as one JSON line: what a hit costs as the in-process tier
 * grows (100 to 100,000 entries). Run with --expose-gc.
 */
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

async function filled(entries: number): Promise<CacheNamespace<TaskPlanEntry>> {
  const namespace = new CacheNamespace<TaskPlanEntry>('plan', { enabled: true, ttlMs: 3_600_000, maxEntries: entries });
  for (let index = 0; index < entries; index++) {
    const key = `plan:${index.toString(16).padStart(16, '0')}`;
    await namespace.set(key, cachedPlan(index), await namespace.stamp(key));
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
      samples[index].hot.push(timedHits((key) => namespace.get(key), keysFor(entries, 100)));
      samples[index].wide.push(timedHits((key) => namespace.get(key), keysFor(entries, 4096)));
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

const costs = await hitCosts();
process.stdout.write(`${JSON.stringify({ hit_cost: costs })}\n`);
