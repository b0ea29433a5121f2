import type { HotPathsResult } from './hot-paths/index.js';
import type { PathResult, RuntimeResult } from './hot-paths/runtimes.js';
import type { MicroResult } from './micro.js';
import type { ScenarioResult, TargetResult } from './support/results.js';

function scenario(scenarios: ScenarioResult[], name: string): ScenarioResult {
  const found = scenarios.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no scenario named ${name}`);
  return found;
}

/** A ratio to node:http on every runtime: `Node 20 0.52, Node 24 0.66`, met when all reach `floor`. */
function onEveryRuntime(
  target: string,
  runtimes: RuntimeResult[],
  pick: (result: RuntimeResult) => PathResult,
  floor: number,
): TargetResult {
  return {
    target,
    measured: runtimes.map((r) => `${r.runtime} ${pick(r).ratio}`).join(', '),
    met: runtimes.every((r) => pick(r).ratio >= floor),
  };
}

/** The targets of the hot paths and memory (issue 18), judged on this run's figures. */
function hotPathTargets(h: HotPathsResult): TargetResult[] {
  const compressed = h.runtimes.map((r) => r.bigListCompressed);
  const within = (ratios: number[], share: number) => ratios.every((value) => value >= 1 - share);
  return [
    onEveryRuntime('cached GET /api/plans >= 0.65 of node:http', h.runtimes, (r) => r.list, 0.65),
    onEveryRuntime('cached POST /api/chat/plan >= 0.45 of node:http', h.runtimes, (r) => r.plan, 0.45),
    onEveryRuntime('SSE replay of a cached plan >= 0.40 of node:http', h.runtimes, (r) => r.stream, 0.4),
    {
      target: 'cached plan and stream with token verification and limits on: within 5 % of off',
      measured: `plan ${h.callers.plan.ratio}, stream ${h.callers.stream.ratio} (${h.primary})`,
      met: within([h.callers.plan.ratio, h.callers.stream.ratio], 0.05),
    },
    {
      target: 'hits from memory with Redis enabled: within 5 % of without',
      measured: `plan ${h.redis.plan.ratio}, list ${h.redis.list.ratio}, stream ${h.redis.stream.ratio} (${h.primary})`,
      met: within([h.redis.plan.ratio, h.redis.list.ratio, h.redis.stream.ratio], 0.05),
    },
    {
      target: 'RSS of `npm start` (embedded defaults) after warm-up, idle: < 250 MB',
      measured: h.memory.idle
        .filter((idle) => idle.setup.startsWith('embedded'))
        .map((idle) => `${idle.runtime} ${idle.first_start_mb} MB first start, ${idle.restart_mb} MB restart`)
        .join('; '),
      met: h.memory.idle.every((idle) => idle.first_start_mb < 250 && idle.restart_mb < 250),
    },
    {
      target: 'RSS added by 10,000 cached 2 KB plans < 30 MB',
      measured: h.memory.plans.map((plans) => `${plans.runtime} ${plans.rss_mb} MB`).join(', '),
      met: h.memory.plans.every((plans) => plans.rss_mb < 30),
    },
    {
      target: '200-plan list with `Accept-Encoding: br, gzip`: <= 15 % of the bytes, the same rate as plain hits',
      measured: compressed
        .map(
          (c, index) =>
            `${h.runtimes[index].runtime} ${((c.bytes / c.plain_bytes) * 100).toFixed(1)} %, ${c.plain_hit_ratio}×`,
        )
        .join('; '),
      met: compressed.every((c) => c.bytes <= c.plain_bytes * 0.15 && c.plain_hit_ratio >= 0.95),
    },
  ];
}

/** The targets, judged on this run's figures. */
export function judgeTargets(
  scenarios: ScenarioResult[],
  micro: MicroResult,
  hotPaths: HotPathsResult,
): TargetResult[] {
  const list = scenario(scenarios, 'cached GET /api/plans (seeded list)');
  const bigList = scenario(scenarios, 'cached GET /api/plans?user_id= (200 plans)');
  const failing = scenarios.filter((candidate) => candidate.load.errors + candidate.load.non2xx > 0);
  const spreadOf = (costs: number[]) => Math.round((Math.max(...costs) / Math.min(...costs) - 1) * 100);
  const hot = micro.hit_cost.map((cost) => cost.ns_per_hit);
  const wide = micro.hit_cost.map((cost) => cost.ns_per_hit_4096_keys);
  return [
    ...hotPathTargets(hotPaths),
    {
      target: 'cached GET /api/plans >= 1.5x the stock NestJS CacheInterceptor',
      measured: `seeded list ${list.ratios.stock}x, 200-plan list ${bigList.ratios.stock}x`,
      met: list.ratios.stock >= 1.5 && bigList.ratios.stock >= 1.5,
    },
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
