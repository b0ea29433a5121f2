import type { MicroResult } from './micro.js';
import type { ScenarioResult, TargetResult } from './support/results.js';

function scenario(scenarios: ScenarioResult[], name: string): ScenarioResult {
  const found = scenarios.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no scenario named ${name}`);
  return found;
}

/** The targets, judged on this run's figures. */
export function judgeTargets(scenarios: ScenarioResult[], micro: MicroResult): TargetResult[] {
  const list = scenario(scenarios, 'cached GET /api/plans (seeded list)');
  const bigList = scenario(scenarios, 'cached GET /api/plans?user_id= (200 plans)');
  const plan = scenario(scenarios, 'cached POST /api/chat/plan');
  const failing = scenarios.filter((candidate) => candidate.load.errors + candidate.load.non2xx > 0);
  const spreadOf = (costs: number[]) => Math.round((Math.max(...costs) / Math.min(...costs) - 1) * 100);
  const hot = micro.hit_cost.map((cost) => cost.ns_per_hit);
  const wide = micro.hit_cost.map((cost) => cost.ns_per_hit_4096_keys);
  return [
    {
      target: 'cached GET /api/plans >= 50 % of node:http',
      measured: `seeded list ${list.ratios['node:http']}, 200-plan list ${bigList.ratios['node:http']}`,
      met: list.ratios['node:http'] >= 0.5 && bigList.ratios['node:http'] >= 0.5,
    },
    {
      target: 'cached GET /api/plans >= 1.5x the stock NestJS CacheInterceptor',
      measured: `seeded list ${list.ratios.stock}x, 200-plan list ${bigList.ratios.stock}x`,
      met: list.ratios.stock >= 1.5 && bigList.ratios.stock >= 1.5,
    },
    {
      target: 'cached POST /api/chat/plan >= 40 % of node:http',
      measured: `${plan.ratios['node:http']}`,
      met: plan.ratios['node:http'] >= 0.4,
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
    {
      target: '10,000 cached 2 KB plans add under 60 MB RSS',
      measured: `${micro.rss_mb_for_10k_2kb_plans} MB`,
      met: micro.rss_mb_for_10k_2kb_plans < 60,
    },
  ];
}
