import type { BothRatios } from '../support/both-clients.js';
import type { TargetResult } from '../support/results.js';
import type { HitRatios, RuntimeHits } from './hits.js';
import type { HitPathsResult } from './index.js';
import type { PlansMemory } from './memory.js';

/** Idle RSS of `npm start` on every runtime, first start and restart (issue 29). */
export const IDLE_RSS_LIMIT_MB = 250;
/** RSS 10,000 cached 2 KB plans may add (issue 29). */
export const PLANS_RSS_LIMIT_MB = 30;

const figure = (r: BothRatios) =>
  `${r.median} (autocannon ${r.autocannon}${r.wrk === undefined ? '' : `, wrk ${r.wrk}`})`;

/**
 * A ratio on every runtime, judged on the median of both clients: `Node 20 0.71 (autocannon 0.70,
 * wrk 0.72); Node 24 …`, met when every runtime passes `passes`.
 */
function onEveryRuntime(
  target: string,
  hits: RuntimeHits[],
  pick: (ratios: HitRatios) => BothRatios,
  passes: (median: number) => boolean,
): TargetResult {
  const unsaturated = hits.filter((h) => !pick(h.ratios).saturated).map((h) => h.runtime);
  return {
    target,
    measured: hits.map((h) => `${h.runtime} ${figure(pick(h.ratios))}`).join('; '),
    met: hits.every((h) => passes(pick(h.ratios).median)),
    ...(unsaturated.length ? { unsaturated } : {}),
  };
}

/**
 * What cached plans cost: the RSS they add, but never less than the heap they hold (Node 20's V8
 * keeps the pages a collection freed, so the baseline's RSS stays as high as the plans').
 */
const plansCost = (plans: PlansMemory) => Math.max(plans.rss_mb, plans.heap_mb);

const atLeast = (floor: number) => (median: number) => median >= floor;

/** The targets of issue 29, judged on this run's figures. */
export function hitPathTargets({ hits, memory }: HitPathsResult): TargetResult[] {
  const embedded = memory.idle.filter((idle) => idle.setup.startsWith('embedded'));
  return [
    onEveryRuntime(
      'cached GET /api/plans >= 1.5× stock NestJS + Fastify + CacheInterceptor',
      hits,
      (r) => r.listOverStockFastify,
      atLeast(1.5),
    ),
    onEveryRuntime('cached GET /api/plans >= 0.65 of node:http', hits, (r) => r.listOverNodeHttp, atLeast(0.65)),
    onEveryRuntime('cached POST /api/chat/plan >= 0.50 of node:http', hits, (r) => r.planOverNodeHttp, atLeast(0.5)),
    onEveryRuntime('cached SSE replay >= 0.50 of node:http', hits, (r) => r.streamOverNodeHttp, atLeast(0.5)),
    onEveryRuntime(
      'Redis + JWT callers + CORS (valid JWT, allowed Origin): cached list within 10 % of the plain hit',
      hits,
      (r) => r.shippedListOverList,
      atLeast(0.9),
    ),
    onEveryRuntime(
      'Redis + JWT callers + CORS (valid JWT, allowed Origin): cached plan within 10 % of the plain hit',
      hits,
      (r) => r.shippedPlanOverPlan,
      atLeast(0.9),
    ),
    onEveryRuntime(
      "p99 of a cached GET /api/plans at 50 connections <= 2× node:http's p99",
      hits,
      (r) => r.listP99OverNodeHttp,
      (median) => median <= 2,
    ),
    {
      target: `idle RSS of \`npm start\` (embedded defaults), first start and restart < ${IDLE_RSS_LIMIT_MB} MB`,
      measured: embedded
        .map((idle) => `${idle.runtime} ${idle.first_start_mb} MB first start, ${idle.restart_mb} MB restart`)
        .join('; '),
      met: embedded.every((idle) => idle.first_start_mb < IDLE_RSS_LIMIT_MB && idle.restart_mb < IDLE_RSS_LIMIT_MB),
    },
    {
      target: `memory added by 10,000 cached 2 KB plans (RSS, at least their live heap) < ${PLANS_RSS_LIMIT_MB} MB`,
      measured: memory.plans
        .map((plans) => `${plans.runtime} ${plansCost(plans)} MB (RSS ${plans.rss_mb}, heap ${plans.heap_mb})`)
        .join('; '),
      met: memory.plans.every((plans) => plansCost(plans) < PLANS_RSS_LIMIT_MB),
    },
  ];
}
