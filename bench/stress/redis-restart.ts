import type { Request } from 'autocannon';
import { load } from '../support/load.js';
import type { StressResult } from '../support/results.js';
import { startCluster } from './cluster.js';

const LOAD_SECONDS = 8;
/** A loose bound that only a request hanging on Redis would break (REDIS_TIMEOUT_MS, the breaker). */
const WORST_LATENCY_MS = 3_000;
const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * Reads and cached plans on 2 instances while Redis is killed and started again: nothing fails,
 * and no request waits on the missing Redis (test/redis-outage.e2e-spec.ts checks what answers).
 */
export async function redisRestart(): Promise<StressResult> {
  const cluster = await startCluster(2, { PLANNER_BUILTIN_DELAY_MS: '20', PLAN_CACHE_MIN_GEN_TIME: '0' });
  try {
    const plan = JSON.stringify({ goal: 'Keep serving through a Redis restart' });
    const requests: Request[] = [
      { method: 'GET', path: '/api/plans' },
      { method: 'GET', path: '/api/plans?user_id=1' },
      { method: 'POST', path: '/api/chat/plan', headers: JSON_HEADERS, body: plan },
      { method: 'GET', path: '/api/plans?connection_type=pppoe' },
    ];
    const outage = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await cluster.redis.kill();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await cluster.redis.start();
    })();
    const results = await Promise.all(
      cluster.instances.map((instance) =>
        load({ url: instance.url, requests, connections: 25, seconds: LOAD_SECONDS }, { warmUp: false }),
      ),
    );
    await outage;
    const total = results.reduce((sum, result) => sum + result.requests, 0);
    const failed = results.reduce((sum, result) => sum + result.errors + result.non2xx, 0);
    const worst = Math.max(...results.map((result) => result.max));
    return {
      name: 'Redis killed and restarted under load (2 instances, 50 connections)',
      outcome: `${total} requests, ${failed} failed; worst latency ${worst} ms`,
      passed: failed === 0 && worst < WORST_LATENCY_MS,
    };
  } finally {
    await cluster.stop();
  }
}
