import { clientIn, useExperimentFile, type ExperimentFile } from './support/experiment-file.js';
import { eventually } from './support/eventually.js';
import { useOpenAiInstancesOnRedis } from './support/openai-app.js';
import { askPlan } from './support/plan-requests.js';
import { describeWith, REDIS } from './support/services.js';
import { bearer, type TestApp } from './support/test-app.js';

const EXPERIMENT: ExperimentFile = {
  name: 'shared',
  variants: [
    { name: 'control', weight: 1 },
    { name: 'short', weight: 1, ttl: 60 },
  ],
};

describeWith(REDIS)('Experiments, preloading and early refresh across instances sharing Redis', () => {
  const { start, openai } = useOpenAiInstancesOnRedis({
    redis: 'shared',
    count: 0,
    variables: { PLAN_CACHE_EXPERIMENTS_FILE: useExperimentFile(EXPERIMENT) },
  });
  const ask = (app: TestApp, goal: string, client = 'someone') =>
    askPlan(app, goal, { 'x-client-id': client }).expect(200);

  it('sums every instance’s counts in the report of either', async () => {
    const [a, b] = [await start(), await start()];
    const control = clientIn(EXPERIMENT, 'control');
    const short = clientIn(EXPERIMENT, 'short');
    for (let i = 0; i < 3; i++) await ask(a, 'Counted on a', control);
    for (let i = 0; i < 2; i++) await ask(b, 'Counted on b', short);
    await ask(b, 'Counted on a', control);

    // b flushes its counts every second; a's report adds them once they are in Redis.
    await eventually(
      async () => {
        const { body } = await a.http.get('/api/plan-cache/experiments').set(bearer()).expect(200);
        return body.variants[1].requests === 2;
      },
      5000,
      'the counts of b in the report of a',
    );
    for (const app of [a, b]) {
      const { body } = await app.http.get('/api/plan-cache/experiments').set(bearer()).expect(200);
      expect(body.shared).toBe(true);
      expect(body.variants.map((v: { requests: number; hits: number }) => [v.requests, v.hits])).toEqual([
        [4, 3],
        [2, 1],
      ]);
    }
    await Promise.all([a.close(), b.close()]);
  });

  it('preloads the most requested plans at start-up: hits from the first request after a restart', async () => {
    const first = await start({ PLAN_CACHE_PRELOAD_TOP: '1' });
    for (let i = 0; i < 5; i++) await ask(first, 'The hottest plan');
    await ask(first, 'A plan asked once');
    await first.close(); // counts of demand are flushed to Redis as it stops

    const restarted = await start({ PLAN_CACHE_PRELOAD_TOP: '1' });
    const calls = openai.calls;
    const hot = await ask(restarted, 'The hottest plan');
    expect(hot.headers['x-cache']).toBe('HIT');
    expect(hot.body.source).toBe('l1');
    // Only the top plan was preloaded; the other is still in Redis, one step further.
    const other = await ask(restarted, 'A plan asked once');
    expect(other.headers['x-cache']).toBe('HIT');
    expect(other.body.source).toBe('l2');
    expect(openai.calls).toBe(calls);
    await restarted.close();
  });

  it('refreshes a hot plan once across instances hit at the same time', async () => {
    // Seconds of room on each side of the refresh window (6 to 10 s), for a machine busy with other work.
    const settings = { PLAN_CACHE_TTL: '10', PLAN_CACHE_EARLY_REFRESH: '0.6', PLAN_CACHE_GRACE: '0' };
    const [a, b] = [await start(settings), await start(settings)];
    const client = clientIn(EXPERIMENT, 'control', 'refresh');
    await ask(a, 'Refreshed once for all', client);
    const created = Date.now();
    for (const app of [a, b, a, b, a, b]) await ask(app, 'Refreshed once for all', client);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, created + 6400 - Date.now())));
    const answers = await Promise.all([a, b, a, b].map((app) => ask(app, 'Refreshed once for all', client)));
    expect(answers.map((answer) => answer.headers['x-cache'])).toEqual(['HIT', 'HIT', 'HIT', 'HIT']);
    await eventually(() => openai.completed === 2, 5000, 'one background refresh');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, created + 10_300 - Date.now())));
    for (const app of [a, b]) expect((await ask(app, 'Refreshed once for all', client)).headers['x-cache']).toBe('HIT');
    expect(openai.calls).toBe(2);
    await Promise.all([a.close(), b.close()]);
  });
});
