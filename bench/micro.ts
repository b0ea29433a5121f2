import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface MicroResult {
  /** ns per hit cycling over 100 keys (a hot set) and over up to 4,096 keys (memory-bound). */
  hit_cost: { entries: number; ns_per_hit: number; ns_per_hit_4096_keys: number }[];
}

/** bench/micro/l1-cost in a process of its own, with the collector exposed. */
export function microBenchmarks(): MicroResult {
  const script = join(import.meta.dirname, 'micro', 'l1-cost.js');
  const run = spawnSync(process.execPath, ['--expose-gc', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`micro benchmarks failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as MicroResult;
}
