import { FakeOpenAiServer } from '../../test/support/fake-openai-server.js';
import type { StressResult } from '../support/results.js';
import { startCluster } from './cluster.js';

const REQUESTS = 1000;
const API_KEY = 'sk-bench-planner';

/** 1,000 concurrent identical misses spread over 3 instances: the planner is called once. */
export async function stampede(): Promise<StressResult> {
  const planner = await new FakeOpenAiServer(API_KEY).start();
  planner.latencyMs = 1500;
  const cluster = await startCluster(3, {
    PLANNER_PROVIDER: 'openai',
    PLANNER_BASE_URL: planner.url,
    PLANNER_API_KEY: API_KEY,
    PLANNER_MODEL: 'bench-model',
    PLAN_CACHE_MIN_GEN_TIME: '1',
  });
  try {
    const body = JSON.stringify({ goal: 'Survive a stampede of identical requests' });
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, async (_, index) => {
        const instance = cluster.instances[index % cluster.instances.length];
        const response = await fetch(`${instance.url}/api/chat/plan`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        return { status: response.status, plan: ((await response.json()) as { plan?: string }).plan };
      }),
    );
    const ok = answers.filter((answer) => answer.status === 200).length;
    const plans = new Set(answers.map((answer) => answer.plan));
    const passed = planner.calls === 1 && ok === REQUESTS && plans.size === 1;
    return {
      name: 'Stampede: 1,000 concurrent identical misses across 3 instances',
      outcome: `${planner.calls} planner call(s); ${ok}/${REQUESTS} answered 200; ${plans.size} distinct plan(s)`,
      passed,
    };
  } finally {
    await cluster.stop();
    await planner.stop();
  }
}
