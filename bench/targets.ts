import type { HotPathsResult } from './hot-paths/index.js';
import { hitPathTargets } from './hot-paths/targets.js';
import type { MicroResult } from './micro.js';
import type { ScenarioResult, TargetResult } from './support/results.js';

/** The 200-plan list compressed: few bytes, and no slower than plain hits (median of both clients). */
function compressionTarget({ compression: c }: HotPathsResult): TargetResult {
  const ratio = c.compressedOverPlain;
  return {
    target: '200-plan list with `Accept-Encoding: br, gzip`: <= 15 % of the bytes, the same rate as plain hits',
    measured: `${c.runtime} ${((c.bytes / c.plain_bytes) * 100).toFixed(1)} %, ${ratio.median}×`,
    met: c.bytes <= c.plain_bytes * 0.15 && ratio.median >= 0.95,
    ...(ratio.saturated ? {} : { unsaturated: [c.runtime] }),
  };
}

/** The targets, judged on this run's figures. */
export function judgeTargets(
  scenarios: ScenarioResult[],
  micro: MicroResult,
  hotPaths: HotPathsResult,
): TargetResult[] {
  const failing = scenarios.filter((candidate) => candidate.load.errors + candidate.load.non2xx > 0);
  const spreadOf = (costs: number[]) => Math.round((Math.max(...costs) / Math.min(...costs) - 1) * 100);
  const hot = micro.hit_cost.map((cost) => cost.ns_per_hit);
  const wide = micro.hit_cost.map((cost) => cost.ns_per_hit_4096_keys);
  return [
    ...hitPathTargets(hotPaths),
    compressionTarget(hotPaths),
    {
      target: 'no error under 100 connections',
      measured: failing.length === 0 ? 'no error or non-2xx in any scenario' : failing.map((f) => f.name).join('; '),
      met: failing.length === 0,
    },
    {
      target: 'cost of a hit flat (within 10 %) from 100 to 100,000 entries: a hot set of 100 keys',
      measured: `${hot.join(' / ')} ns per hit (spread ${spreadOf(hot)} %)`,
      met: spreadOf(hot) <= 10,
    },
    {
      target: 'the same, 4,096 keys spread over the cache (CPU caches cannot hold them)',
      measured: `${wide.join(' / ')} ns per hit (spread ${spreadOf(wide)} %)`,
      met: spreadOf(wide) <= 10,
    },
  ];
}
