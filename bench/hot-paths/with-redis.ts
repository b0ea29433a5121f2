import { TestRedisServer } from '../../test/support/redis-server.js';
import { compare, type LoadResult } from '../support/load.js';
import { startService } from '../support/processes.js';
import { ratio } from '../support/results.js';
import { PLAN_REQUEST, saveAnswer, STREAM_PATH } from './cached-answers.js';
import { SERVICE_SETTINGS } from '../throughput.js';
import type { Runtime } from './runtimes.js';

export interface RedisComparison {
  /** Hits answered from memory with Redis enabled over the same without it. */
  plan: { withRedis: LoadResult; without: LoadResult; ratio: number };
  list: { withRedis: LoadResult; without: LoadResult; ratio: number };
  stream: { withRedis: LoadResult; without: LoadResult; ratio: number };
}

/**
 * Cached answers that all come from memory, on a service with Redis enabled (L2, bus, locks) and
 * on one without it, in turns: a hit from memory must not pay for Redis being there.
 */
export async function redisComparison(runtime: Runtime): Promise<RedisComparison> {
  const redis = await TestRedisServer.create();
  await redis.start();
  const shared = { ...SERVICE_SETTINGS, PLAN_CACHE_REDIS_ENABLED: 'true', REDIS_URL: redis.url };
  const withRedis = await startService(shared, [], undefined, runtime.node);
  const without = await startService(SERVICE_SETTINGS, [], undefined, runtime.node);
  try {
    for (const service of [withRedis, without]) {
      await saveAnswer(service, '/api/chat/plan', PLAN_REQUEST);
      await saveAnswer(service, '/api/plans');
      await saveAnswer(service, STREAM_PATH);
    }
    const post = { method: 'POST' as const, headers: PLAN_REQUEST.headers, body: PLAN_REQUEST.body };
    const r = await compare({
      planWith: { url: `${withRedis.url}/api/chat/plan`, ...post },
      planWithout: { url: `${without.url}/api/chat/plan`, ...post },
      listWith: { url: `${withRedis.url}/api/plans` },
      listWithout: { url: `${without.url}/api/plans` },
      streamWith: { url: `${withRedis.url}${STREAM_PATH}` },
      streamWithout: { url: `${without.url}${STREAM_PATH}` },
    });
    const pair = (a: LoadResult, b: LoadResult) => ({ withRedis: a, without: b, ratio: ratio(a.rps, b.rps) });
    return {
      plan: pair(r.planWith, r.planWithout),
      list: pair(r.listWith, r.listWithout),
      stream: pair(r.streamWith, r.streamWithout),
    };
  } finally {
    await withRedis.stop();
    await without.stop();
    await redis.kill();
  }
}
