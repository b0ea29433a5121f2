import { CacheNamespace } from '../../src/plan-cache/cache/cache-namespace.js';
import { cachedPlan } from './cached-plan.js';

/**
 * One side of a memory measurement: this process holds PLANS cached 2 KB plans (0 for the
 * baseline), churns short-lived garbage so that its young generation has the size a running
 * service's has, collects (compacting), and prints its RSS and live heap as one JSON line. The difference
 * between a run with plans and one without is what the plans add (bench/hot-paths/memory.ts).
 */
const gc = (globalThis as { gc?: (options: { type: 'major'; flavor: 'last-resort' }) => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const plans = Number(process.env.PLANS ?? 0);
const namespace = new CacheNamespace('plan', { enabled: true, ttlMs: 3_600_000, maxEntries: Math.max(plans, 1) });
for (let index = 0; index < plans; index++) {
  const key = `plan:${index.toString(16).padStart(16, '0')}`;
  await namespace.set(key, cachedPlan(index), await namespace.stamp(key));
}
let sink = 0;
for (let i = 0; i < 200_000; i++) sink += new Array<number>(256).fill(i).length;
// Compacting, as an idle process's memory reducer does in time: freed pages go back to the system.
gc({ type: 'major', flavor: 'last-resort' });
if (plans > 0 && namespace.peek('plan:0000000000000000') === undefined) throw new Error('the plans were not kept');
const { rss, heapUsed } = process.memoryUsage();
process.stdout.write(`${JSON.stringify({ plans, rss, heap: heapUsed, sink })}\n`);
