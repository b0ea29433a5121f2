import { CacheNamespace } from '../../src/plan-cache/cache/cache-namespace.js';
import { cachedPlan } from './cached-plan.js';

/**
 * One side of a memory measurement: this process caches PLANS 2 KB plans and keeps them (KEEP=1) or
 * clears them (KEEP=0, the baseline), collects (compacting), and prints its RSS and live heap as one
 * JSON line. Both sides run the same code and make the same allocations, so V8 sizes their young
 * generations alike (storing 20 MB grows the semispaces to their maximum, as a loaded service's
 * are): the difference is what keeping the plans adds (bench/hot-paths/memory.ts).
 */
const gc = (globalThis as { gc?: (options?: { type: 'major'; flavor: 'last-resort' }) => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const plans = Number(process.env.PLANS ?? 10_000);
const keep = process.env.KEEP === '1';

async function cachePlans(): Promise<CacheNamespace<unknown>> {
  const namespace = new CacheNamespace('plan', { enabled: true, ttlMs: 3_600_000, maxEntries: plans });
  for (let index = 0; index < plans; index++) {
    const key = `plan:${index.toString(16).padStart(16, '0')}`;
    await namespace.set(key, cachedPlan(index), await namespace.stamp(key));
  }
  if (namespace.peek('plan:0000000000000000') === undefined) throw new Error('the plans were not kept');
  return namespace;
}

const namespace = await cachePlans();
if (!keep) await namespace.clear();
// Compacting, as an idle process's memory reducer does in time: freed pages go back to the system.
// Node 20's V8 does not collect everything on the last-resort flavour alone (the plans of the
// baseline stayed on its heap), so a plain full collection follows, after the freed pages' release.
gc({ type: 'major', flavor: 'last-resort' });
await new Promise((resolve) => setTimeout(resolve, 200));
gc();
const { rss, heapUsed } = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({ plans: keep ? plans : 0, rss, heap: heapUsed, kept: namespace.peek('plan:0000000000000000') !== undefined })}\n`,
);
