import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'autocannon';
import { TestRedisServer } from '../test/support/redis-server.js';
import { load, type LoadResult } from './support/load.js';
import { adminHeaders, getJson, startPeer, startService, type Running } from './support/processes.js';
import { ratio, type ScenarioResult } from './support/results.js';
import { zipfSampler } from './support/zipf.js';

const JSON_HEADERS = { 'content-type': 'application/json' };
/** Misses of the Zipf mix really generate, but quickly, and every plan is kept. */
const SERVICE_SETTINGS = { PLANNER_BUILTIN_DELAY_MS: '50', PLAN_CACHE_MIN_GEN_TIME: '0', LOG_LEVEL: 'info' };
const BIG_LIST_USER = 4242;
const CACHED_GOAL = { goal: 'Launch a billing dashboard for hotspot operators', project_context: 'NestJS, PostgreSQL' };

interface NamespaceCounters {
  hits: number;
  misses: number;
}

async function planCounters(service: Running): Promise<NamespaceCounters> {
  const stats = await getJson<{ namespaces: Record<string, NamespaceCounters> }>(
    `${service.url}/api/plan-cache/stats`,
    { headers: adminHeaders },
  );
  return stats.namespaces.plan;
}

async function bodyFile(url: string, name: string): Promise<string> {
  const response = await fetch(url);
  const file = join(tmpdir(), `plan-cache-bench-${name}-${process.pid}.json`);
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return file;
}

/** rps of the bare node:http server and of the stock NestJS app answering the same bytes. */
async function baselines(file: string): Promise<{ nodeHttp: LoadResult; stock: LoadResult }> {
  const nodeHttp = await startPeer('node-http', file);
  const nodeResult = await load({ url: `${nodeHttp.url}/api/plans` });
  await nodeHttp.stop();
  const stock = await startPeer('stock-nest-cache', file);
  const stockResult = await load({ url: `${stock.url}/api/plans` });
  await stock.stop();
  return { nodeHttp: nodeResult, stock: stockResult };
}

async function createPlans(service: Running, count: number, userId: number): Promise<void> {
  for (let index = 0; index < count; index++) {
    await getJson(`${service.url}/api/plans`, {
      method: 'POST',
      headers: adminHeaders,
      body: JSON.stringify({
        name: `Bench plan ${index}`,
        connection_type: index % 2 ? 'pppoe' : 'hotspot',
        price: `${(index % 50) + 1}.99`,
        currency: 'USD',
        duration_days: 30,
        data_limit_mb: null,
        download_kbps: 10_000,
        upload_kbps: 5_000,
        user_id: userId,
      }),
    });
  }
}

async function billingScenarios(service: Running): Promise<ScenarioResult[]> {
  const seeded = await bodyFile(`${service.url}/api/plans`, 'seeded');
  const seededBase = await baselines(seeded);
  const seededList = await load({ url: `${service.url}/api/plans` });

  await createPlans(service, 200, BIG_LIST_USER);
  const bigUrl = `${service.url}/api/plans?user_id=${BIG_LIST_USER}`;
  const big = await bodyFile(bigUrl, 'big');
  const bigBase = await baselines(big);
  const bigList = await load({ url: bigUrl });

  // Each connection cycles through 99 reads and one write that changes the listed plans.
  let price = 1;
  const write: Request = {
    method: 'PATCH',
    path: '/api/plans/1',
    headers: adminHeaders,
    setupRequest: (request) => ({ ...request, body: JSON.stringify({ price: `${(price++ % 90) + 1}.50` }) }),
  };
  const reads: Request[] = Array.from({ length: 99 }, () => ({ method: 'GET', path: '/api/plans' }));
  const mixed = await load({ url: service.url, requests: [...reads, write] });

  return [
    { name: 'node:http, seeded list bytes', load: seededBase.nodeHttp, ratios: {} },
    { name: 'stock NestJS CacheInterceptor, seeded list', load: seededBase.stock, ratios: {} },
    {
      name: 'cached GET /api/plans (seeded list)',
      load: seededList,
      ratios: {
        'node:http': ratio(seededList.rps, seededBase.nodeHttp.rps),
        stock: ratio(seededList.rps, seededBase.stock.rps),
      },
    },
    { name: 'node:http, 200-plan list bytes', load: bigBase.nodeHttp, ratios: {} },
    { name: 'stock NestJS CacheInterceptor, 200-plan list', load: bigBase.stock, ratios: {} },
    {
      name: 'cached GET /api/plans?user_id (200 plans)',
      load: bigList,
      ratios: { 'node:http': ratio(bigList.rps, bigBase.nodeHttp.rps), stock: ratio(bigList.rps, bigBase.stock.rps) },
    },
    {
      name: 'GET /api/plans with a write every 100 reads',
      load: mixed,
      ratios: {
        'cached GET': ratio(mixed.rps, seededList.rps),
        'node:http': ratio(mixed.rps, seededBase.nodeHttp.rps),
      },
    },
  ];
}

async function chatScenarios(service: Running, nodeHttpRps: number): Promise<ScenarioResult[]> {
  const body = JSON.stringify(CACHED_GOAL);
  await getJson(`${service.url}/api/chat/plan`, { method: 'POST', headers: JSON_HEADERS, body });
  const cachedPlan = await load({ url: `${service.url}/api/chat/plan`, method: 'POST', headers: JSON_HEADERS, body });
  const query = new URLSearchParams({ mode: 'plan', ...CACHED_GOAL });
  const replay = await load({ url: `${service.url}/api/chat/stream?${query.toString()}` });

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

  return [
    {
      name: 'cached POST /api/chat/plan',
      load: cachedPlan,
      ratios: { 'node:http': ratio(cachedPlan.rps, nodeHttpRps) },
    },
    { name: 'SSE replay of a cached plan', load: replay, ratios: { 'node:http': ratio(replay.rps, nodeHttpRps) } },
    {
      name: 'Zipf mix: 1,000 goals, cache of 100',
      load: zipf,
      ratios: { 'cached POST': ratio(zipf.rps, cachedPlan.rps) },
      notes: { hit_ratio: ratio(hits, hits + misses), hits, misses },
    },
  ];
}

async function redisScenario(cachedPostRps: number): Promise<ScenarioResult> {
  const redis = await TestRedisServer.create();
  await redis.start();
  const service = await startService({
    ...SERVICE_SETTINGS,
    PLAN_CACHE_REDIS_ENABLED: 'true',
    REDIS_URL: redis.url,
    PLAN_CACHE_MAXSIZE: '0',
  });
  try {
    const body = JSON.stringify(CACHED_GOAL);
    await getJson(`${service.url}/api/chat/plan`, { method: 'POST', headers: JSON_HEADERS, body });
    const answer = await getJson<{ source: string }>(`${service.url}/api/chat/plan`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body,
    });
    const l2 = await load({ url: `${service.url}/api/chat/plan`, method: 'POST', headers: JSON_HEADERS, body });
    return {
      name: 'L2-only hits (L1 off, Redis)',
      load: l2,
      ratios: { 'L1 hit': ratio(l2.rps, cachedPostRps) },
      notes: { source: answer.source },
    };
  } finally {
    await service.stop();
    await redis.kill();
  }
}

/** The cached list with metrics on and off, each on a fresh instance. */
async function metricsScenarios(): Promise<ScenarioResult[]> {
  const measure = async (enabled: boolean) => {
    const service = await startService({ ...SERVICE_SETTINGS, METRICS_ENABLED: String(enabled) });
    try {
      return await load({ url: `${service.url}/api/plans` });
    } finally {
      await service.stop();
    }
  };
  const on = await measure(true);
  const off = await measure(false);
  return [
    { name: 'cached GET /api/plans, metrics on', load: on, ratios: { 'metrics off': ratio(on.rps, off.rps) } },
    { name: 'cached GET /api/plans, metrics off', load: off, ratios: {} },
  ];
}

/** Every load scenario, each against baselines measured in this run. */
export async function throughputScenarios(): Promise<ScenarioResult[]> {
  const service = await startService(SERVICE_SETTINGS);
  try {
    const billing = await billingScenarios(service);
    const nodeHttp = billing[0].load.rps;
    const chat = await chatScenarios(service, nodeHttp);
    const l2 = await redisScenario(chat[0].load.rps);
    const metrics = await metricsScenarios();
    return [...billing, ...chat, l2, ...metrics];
  } finally {
    await service.stop();
  }
}
