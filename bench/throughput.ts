import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'autocannon';
import { TestRedisServer } from '../test/support/redis-server.js';
import { compare, load, type LoadOptions } from './support/load.js';
import { adminHeaders, getJson, startPeer, startService, type Running } from './support/processes.js';
import { ratio, type ScenarioResult } from './support/results.js';
import { zipfSampler } from './support/zipf.js';
import { createPlans } from './hot-paths/cached-answers.js';

const JSON_HEADERS = { 'content-type': 'application/json' };
/**
 * Misses of the Zipf mix really generate, but quickly, and every plan is kept. The load comes from
 * one anonymous address with 100 connections: the per-caller generation limit (10 a minute by
 * default) and the planner's slots and queue (8 and 100) would refuse misses being measured.
 */
export const SERVICE_SETTINGS = {
  PLANNER_BUILTIN_DELAY_MS: '50',
  PLAN_CACHE_MIN_GEN_TIME: '0',
  LIMIT_ANONYMOUS_GENERATIONS_PER_MINUTE: '1000000',
  // One address asks for every list here: its budget of uncached list loads would turn a write's misses into 429s.
  LIMIT_ANONYMOUS_LIST_LOADS_PER_MINUTE: '1000000',
  PLANNER_MAX_CONCURRENCY: '100',
  PLANNER_QUEUE_MAX: '1000',
};
const BIG_LIST_USER = 4242;
const CACHED_GOAL = { goal: 'Launch a billing dashboard for hotspot operators', project_context: 'NestJS, PostgreSQL' };

async function planCounters(service: Running): Promise<{ hits: number; misses: number }> {
  const stats = await getJson<{ namespaces: Record<string, { hits: number; misses: number }> }>(
    `${service.url}/api/plan-cache/stats`,
    { headers: adminHeaders },
  );
  return stats.namespaces.plan;
}

async function saveBody(url: string, name: string, init: RequestInit = {}): Promise<string> {
  const response = await fetch(url, init);
  const file = join(tmpdir(), `plan-cache-bench-${name}-${process.pid}.json`);
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return file;
}

const cachedPlanRequest = (service: Running): LoadOptions => ({
  url: `${service.url}/api/chat/plan`,
  method: 'POST',
  headers: JSON_HEADERS,
  body: JSON.stringify(CACHED_GOAL),
});

async function warmPlan(service: Running): Promise<string> {
  const answer = await getJson<{ source: string }>(`${service.url}/api/chat/plan`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify(CACHED_GOAL),
  });
  return answer.source;
}

/** Everything answering the seeded list or a cached plan, against the same node:http baseline. */
async function seededListScenarios(
  service: Running,
  metrics: { on: Running; off: Running },
): Promise<ScenarioResult[]> {
  const file = await saveBody(`${service.url}/api/plans`, 'seeded');
  await warmPlan(service);
  const planFile = await saveBody(cachedPlanRequest(service).url, 'plan', cachedPlanRequest(service));
  const nodeHttp = await startPeer('node-http', file);
  const bareFastify = await startPeer('bare-fastify', file, { PLAN_FILE: planFile });
  const stock = await startPeer('stock-nest-cache', file);
  const replayQuery = new URLSearchParams({ mode: 'plan', ...CACHED_GOAL }).toString();
  try {
    const r = await compare({
      nodeHttp: { url: `${nodeHttp.url}/api/plans` },
      bareFastify: { url: `${bareFastify.url}/api/plans` },
      bareFastifyPost: { ...cachedPlanRequest(service), url: `${bareFastify.url}/api/chat/plan` },
      stock: { url: `${stock.url}/api/plans` },
      list: { url: `${service.url}/api/plans` },
      listMetricsOn: { url: `${metrics.on.url}/api/plans` },
      listMetricsOff: { url: `${metrics.off.url}/api/plans` },
      plan: cachedPlanRequest(service),
      replay: { url: `${service.url}/api/chat/stream?${replayQuery}` },
    });
    const base = r.nodeHttp.rps;
    return [
      { name: 'node:http, the seeded list bytes', load: r.nodeHttp, ratios: {} },
      {
        name: 'bare Fastify, the seeded list bytes',
        load: r.bareFastify,
        ratios: { 'node:http': ratio(r.bareFastify.rps, base) },
      },
      {
        name: 'bare Fastify, POST of the cached plan answer',
        load: r.bareFastifyPost,
        ratios: { 'node:http': ratio(r.bareFastifyPost.rps, base) },
      },
      {
        name: 'stock NestJS CacheInterceptor, seeded list',
        load: r.stock,
        ratios: { 'node:http': ratio(r.stock.rps, base) },
      },
      {
        name: 'cached GET /api/plans (seeded list)',
        load: r.list,
        ratios: {
          'node:http': ratio(r.list.rps, base),
          'bare Fastify': ratio(r.list.rps, r.bareFastify.rps),
          stock: ratio(r.list.rps, r.stock.rps),
        },
      },
      {
        name: 'cached GET /api/plans, fresh instance, metrics on',
        load: r.listMetricsOn,
        ratios: {
          'node:http': ratio(r.listMetricsOn.rps, base),
          'metrics off': ratio(r.listMetricsOn.rps, r.listMetricsOff.rps),
        },
      },
      {
        name: 'cached GET /api/plans, fresh instance, metrics off',
        load: r.listMetricsOff,
        ratios: { 'node:http': ratio(r.listMetricsOff.rps, base) },
      },
      {
        name: 'cached POST /api/chat/plan',
        load: r.plan,
        ratios: { 'node:http': ratio(r.plan.rps, base), 'bare Fastify POST': ratio(r.plan.rps, r.bareFastifyPost.rps) },
      },
      { name: 'SSE replay of a cached plan', load: r.replay, ratios: { 'node:http': ratio(r.replay.rps, base) } },
    ];
  } finally {
    await nodeHttp.stop();
    await bareFastify.stop();
    await stock.stop();
  }
}

async function bigListScenarios(service: Running): Promise<ScenarioResult[]> {
  await createPlans(service, 200, BIG_LIST_USER);
  const url = `${service.url}/api/plans?user_id=${BIG_LIST_USER}`;
  const file = await saveBody(url, 'big');
  const nodeHttp = await startPeer('node-http', file);
  const stock = await startPeer('stock-nest-cache', file);
  try {
    const r = await compare({
      nodeHttp: { url: `${nodeHttp.url}/api/plans` },
      stock: { url: `${stock.url}/api/plans` },
      list: { url },
    });
    return [
      { name: 'node:http, the 200-plan list bytes', load: r.nodeHttp, ratios: {} },
      {
        name: 'stock NestJS CacheInterceptor, 200-plan list',
        load: r.stock,
        ratios: { 'node:http': ratio(r.stock.rps, r.nodeHttp.rps) },
      },
      {
        name: 'cached GET /api/plans?user_id= (200 plans)',
        load: r.list,
        ratios: { 'node:http': ratio(r.list.rps, r.nodeHttp.rps), stock: ratio(r.list.rps, r.stock.rps) },
      },
    ];
  } finally {
    await nodeHttp.stop();
    await stock.stop();
  }
}

/** Each connection cycles through 99 reads and one write that changes the listed plans. */
async function writeMixScenario(service: Running): Promise<ScenarioResult> {
  let price = 1;
  const write: Request = {
    method: 'PATCH',
    path: '/api/plans/1',
    headers: adminHeaders,
    setupRequest: (request) => ({ ...request, body: JSON.stringify({ price: `${(price++ % 90) + 1}.50` }) }),
  };
  const reads: Request[] = Array.from({ length: 99 }, () => ({ method: 'GET', path: '/api/plans' }));
  const r = await compare({
    readsOnly: { url: `${service.url}/api/plans` },
    mixed: { url: service.url, requests: [...reads, write] },
  });
  return {
    name: 'GET /api/plans with a write every 100 reads',
    load: r.mixed,
    ratios: { 'reads only': ratio(r.mixed.rps, r.readsOnly.rps) },
    notes: { writes: Math.round(r.mixed.requests / 100) },
  };
}

async function zipfScenario(service: Running): Promise<ScenarioResult> {
  const goals = Array.from({ length: 1000 }, (_, index) => JSON.stringify({ goal: `Zipf goal number ${index}` }));
  const nextGoal = zipfSampler(goals.length);
  const before = await planCounters(service);
  const zipf = await load({
    url: `${service.url}/api/chat/plan`,
    requests: [
      { method: 'POST', headers: JSON_HEADERS, setupRequest: (request) => ({ ...request, body: goals[nextGoal()] }) },
    ],
  });
  const after = await planCounters(service);
  const hits = after.hits - before.hits;
  const misses = after.misses - before.misses;
  return {
    name: 'Zipf mix: 1,000 goals (s=1), cache of 100',
    load: zipf,
    ratios: {},
    notes: { hit_ratio: ratio(hits, hits + misses), hits, misses, miss_generation_ms: 50 },
  };
}

async function l2OnlyScenario(service: Running): Promise<ScenarioResult> {
  const redis = await TestRedisServer.create();
  await redis.start();
  const l2Only = await startService({
    ...SERVICE_SETTINGS,
    PLAN_CACHE_REDIS_ENABLED: 'true',
    REDIS_URL: redis.url,
    PLAN_CACHE_MAXSIZE: '0',
  });
  try {
    await warmPlan(l2Only);
    const source = await warmPlan(l2Only);
    const r = await compare({ l1: cachedPlanRequest(service), l2: cachedPlanRequest(l2Only) });
    return {
      name: 'L2-only hits of POST /api/chat/plan (L1 off, Redis)',
      load: r.l2,
      ratios: { 'L1 hit': ratio(r.l2.rps, r.l1.rps) },
      notes: { source },
    };
  } finally {
    await l2Only.stop();
    await redis.kill();
  }
}

/** Every load scenario, each against baselines measured in this run. */
export async function throughputScenarios(): Promise<ScenarioResult[]> {
  const service = await startService(SERVICE_SETTINGS);
  const metrics = {
    on: await startService({ ...SERVICE_SETTINGS, METRICS_ENABLED: 'true' }),
    off: await startService({ ...SERVICE_SETTINGS, METRICS_ENABLED: 'false' }),
  };
  const stopMetricsPair = () => Promise.all([metrics.on.stop(), metrics.off.stop()]);
  try {
    const seeded = await seededListScenarios(service, metrics);
    await stopMetricsPair();
    const big = await bigListScenarios(service);
    const mixed = await writeMixScenario(service);
    const zipf = await zipfScenario(service);
    const l2 = await l2OnlyScenario(service);
    return [...seeded, ...big, mixed, zipf, l2];
  } finally {
    await service.stop();
    await stopMetricsPair();
  }
}
