import { FakeOpenAiServer } from '../../test/support/fake-openai-server.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { TestRedisServer } from '../../test/support/redis-server.js';
import { startService, type Running } from '../support/processes.js';
import type { StressResult } from '../support/results.js';

const API_KEY = 'sk-bench-planner';
const GENERATION_MS = 3_000;
const LEASE_MS = 3_000;
/** The lease, plus one renewal period of slack; a fixed 10 s lock life would take 10 s. */
const TAKEN_OVER_WITHIN_MS = LEASE_MS + 1_500;
const GOAL = 'Survive a crashed generator';

interface Instance {
  service: Running;
  planner: FakeOpenAiServer;
}

/**
 * Three instances, 30 identical misses, and `kill -9` of the instance that holds the generation
 * lock: how long until a survivor generates (the lease, not a long fixed lock life), and whether
 * every survivor's request gets the one plan (test/lock-holder-crash.e2e-spec.ts checks the order).
 */
export async function lockHolderCrash(): Promise<StressResult> {
  const redis = await TestRedisServer.create();
  await redis.start();
  const database = await createTestDatabase();
  const instances: Instance[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      // A planner per instance, so that the one asked tells which instance generates.
      const planner = await new FakeOpenAiServer(API_KEY).start();
      planner.latencyMs = GENERATION_MS;
      const service = await startService({
        PLAN_CACHE_REDIS_ENABLED: 'true',
        REDIS_URL: redis.url,
        DATABASE_URL: database.url,
        PLAN_CACHE_LOCK_LEASE_MS: String(LEASE_MS),
        PLAN_CACHE_MIN_GEN_TIME: '0',
        PLANNER_PROVIDER: 'openai',
        PLANNER_BASE_URL: planner.url,
        PLANNER_API_KEY: API_KEY,
        PLANNER_MODEL: 'bench-model',
      });
      instances.push({ service, planner });
    }
    const ask = ({ service }: Instance) =>
      fetch(`${service.url}/api/chat/plan`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ goal: GOAL }),
      }).then(
        async (response) => ({ status: response.status, plan: ((await response.json()) as { plan?: string }).plan }),
        () => ({ status: 0, plan: undefined }), // the killed instance's own requests
      );
    const answers = instances.flatMap((instance) => Array.from({ length: 10 }, () => ask(instance)));
    const holder = await until(() => instances.find(({ planner }) => planner.calls > 0), 10_000);
    holder.service.process.kill();
    const killedAt = performance.now();
    const survivors = instances.filter((instance) => instance !== holder);
    await until(() => survivors.find(({ planner }) => planner.calls > 0), 15_000);
    const tookOverMs = Math.round(performance.now() - killedAt);
    const results = await Promise.all(answers);
    const fromSurvivors = results.filter((_, i) => instances[Math.floor(i / 10)] !== holder);
    const answered = fromSurvivors.filter(({ status }) => status === 200).length;
    const plans = new Set(fromSurvivors.map(({ plan }) => plan)).size;
    const calls = survivors.reduce((sum, { planner }) => sum + planner.calls, 0);
    return {
      name: 'Lock holder killed (kill -9) during a 3 s generation, 3 instances, 30 identical misses, 3 s lease',
      outcome: `a survivor took over after ${tookOverMs} ms; ${answered}/20 survivors' requests answered 200, ${plans} distinct plan(s), ${calls} survivor planner call(s)`,
      passed: tookOverMs < TAKEN_OVER_WITHIN_MS && answered === 20 && plans === 1 && calls === 1,
    };
  } finally {
    for (const { service, planner } of instances) {
      await service.stop();
      await planner.stop();
    }
    await redis.kill();
    await database.drop();
  }
}

async function until<T>(found: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = found();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('lock-holder-crash: not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
