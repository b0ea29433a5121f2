import { setTimeout as sleep } from 'node:timers/promises';
import { useOpenAiApp } from './support/openai-app.js';
import { sharedRedisVariables } from './support/instances.js';
import { eventually } from './support/eventually.js';
import { chunksText, readSse } from './support/sse-client.js';
import { bearer, startTestApp } from './support/test-app.js';
import { useSharedRedis } from './support/redis-server.js';
import { describeWith, REDIS } from './support/services.js';
import { askPlan } from './support/plan-requests.js';

describe('When the planner fails', () => {
  describe('with an expired plan in its grace period', () => {
    const { app, openai } = useOpenAiApp({ PLAN_CACHE_TTL: '1', PLAN_CACHE_GRACE: '3600', PLANNER_TIMEOUT_MS: '1000' });

    /** Caches a plan, then lets its one-second TTL run out (setting up state, not measuring time). */
    async function expiredPlan(goal: string): Promise<string> {
      const { body } = await askPlan(app(), goal).expect(200);
      await sleep(1100);
      return body.plan as string;
    }

    it('serves the expired plan as stale on a planner error', async () => {
      const plan = await expiredPlan('stale on error');
      openai.failWith = { status: 503, message: 'maintenance' };
      const answer = await askPlan(app(), 'stale on error').expect(200);
      expect(answer.headers['x-cache']).toBe('STALE');
      expect(answer.body).toMatchObject({ plan, cached: true, stale: true, source: 'l1', generation_ms: null });
      const stats = (await app().http.get('/api/plan-cache/stats').set(bearer())).body.namespaces.plan;
      expect(stats.stale_hits).toBeGreaterThanOrEqual(1);
    });

    it('serves the expired plan as stale on a planner timeout', async () => {
      const plan = await expiredPlan('stale on timeout');
      openai.hang = true;
      const answer = await askPlan(app(), 'stale on timeout').expect(200);
      expect(answer.headers['x-cache']).toBe('STALE');
      expect(answer.body.plan).toBe(plan);
      await eventually(() => openai.aborted === 1);
    });

    it('streams the expired plan as stale when the planner fails before any chunk', async () => {
      const plan = await expiredPlan('stale stream');
      openai.failWith = { status: 500, message: 'boom' };
      const stream = await readSse(`${app().url}/api/chat/stream?goal=stale%20stream`);
      expect(stream.events.map((e) => e.data.code ?? e.event)).toEqual(
        expect.arrayContaining(['generating_plan', 'plan_from_cache']),
      );
      expect(chunksText(stream.events)).toBe(plan);
      expect(stream.events.at(-1)?.data).toMatchObject({ cached: true, stale: true, source: 'l1' });
    });

    it('regenerates an expired plan when the planner works', async () => {
      await expiredPlan('expired but fine');
      const answer = await askPlan(app(), 'expired but fine').expect(200);
      expect(answer.headers['x-cache']).toBe('MISS');
      expect(openai.calls).toBe(2);
    });
  });

  describe('without a usable plan', () => {
    const { app, openai } = useOpenAiApp({ PLANNER_TIMEOUT_MS: '300' });

    it('answers 504 when the planner does not answer in time, and cancels the request', async () => {
      openai.hang = true;
      const { body, headers } = await askPlan(app(), 'never answered').expect(504);
      expect(body).toEqual({
        statusCode: 504,
        error: 'Gateway Timeout',
        message: 'The planner did not answer within 300 ms',
        request_id: headers['x-request-id'],
      });
      await eventually(() => openai.aborted === 1);
    });

    it('sends an error event with code planner_timeout on a stream', async () => {
      openai.hang = true;
      const stream = await readSse(`${app().url}/api/chat/stream?goal=never%20streamed`);
      expect(stream.events.at(-1)).toEqual({
        event: 'error',
        data: {
          code: 'planner_timeout',
          message: 'The planner did not answer within 300 ms',
          request_id: stream.headers.get('x-request-id'),
        },
      });
    });
  });

  describe('when the planner cannot be reached', () => {
    it('answers 503 saying so, without naming the host it could not reach', async () => {
      const app = await startTestApp({
        PLANNER_PROVIDER: 'openai',
        PLANNER_BASE_URL: 'http://127.0.0.1:9/v1',
        PLANS_CACHE_WARM: 'false',
      });
      try {
        const { body, headers } = await askPlan(app, 'unreachable').expect(503);
        expect(body).toEqual({
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'The planner is not available right now; try again in a moment',
          request_id: headers['x-request-id'],
        });
        expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:9\b/);
      } finally {
        await app.close();
      }
    });
  });
});

describeWith(REDIS)('When the planner fails and the expired plan is only in Redis', () => {
  const redis = useSharedRedis();
  // No in-process tier: every plan this instance knows comes from Redis.
  const { app, openai } = useOpenAiApp(() => ({
    PLAN_CACHE_TTL: '1',
    PLAN_CACHE_GRACE: '3600',
    PLAN_CACHE_MAXSIZE: '0',
    ...sharedRedisVariables(redis()),
  }));

  it('says the stale plan came from Redis (l2), in JSON and in the stream', async () => {
    const { body } = await askPlan(app(), 'stale from redis').expect(200);
    await sleep(1100);
    openai.failWith = { status: 503, message: 'maintenance' };
    const answer = await askPlan(app(), 'stale from redis').expect(200);
    expect(answer.headers['x-cache']).toBe('STALE');
    expect(answer.body).toMatchObject({ plan: body.plan, stale: true, source: 'l2' });
    const stream = await readSse(`${app().url}/api/chat/stream?goal=stale%20from%20redis`);
    expect(stream.events.at(-1)?.data).toMatchObject({ cached: true, stale: true, source: 'l2' });
  });
});
