import type { IncomingHttpHeaders } from 'node:http';
import { clientIn, useExperimentFile, type ExperimentFile } from './support/experiment-file.js';
import { countFastAnswers } from './support/fast-answers.js';
import { hs256Token, TEST_JWT_SECRET } from './support/jwks-server.js';
import { sharedRedisVariables } from './support/instances.js';
import { askPlan } from './support/plan-requests.js';
import { rawRequest, type RawAnswer } from './support/raw-http.js';
import { useSharedRedis } from './support/redis-server.js';
import { describeWith, REDIS } from './support/services.js';
import { useTestApp, type TestApp } from './support/test-app.js';

/**
 * Headers that differ between any two answers (when, which request) or describe the message's
 * framing, not the representation a cache keeps (a stream written at once has a length).
 */
const PER_ANSWER = new Set(['date', 'x-request-id', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** The headers of an answer that a cache downstream keeps with it, in order. */
const kept = (headers: IncomingHttpHeaders): [string, string][] =>
  Object.entries(headers)
    .filter(([name]) => !PER_ANSWER.has(name))
    .map(([name, value]): [string, string] => [name, String(value)])
    .sort(([a], [b]) => a.localeCompare(b));

const GOAL = { goal: 'Plan a community garden', project_context: 'six raised beds' };
const EXPERIMENT: ExperimentFile = {
  name: 'header-parity',
  variants: [
    { name: 'control', weight: 1 },
    { name: 'short', weight: 1, ttl: 60 },
  ],
};

/**
 * A cached answer is the same representation whichever path made it: a shared cache downstream
 * keeps whichever copy comes first and hands it to everybody (`Vary: Origin` included, or a
 * browser on an allowed origin gets a copy without its CORS headers). Every cached route is
 * asked once on the fast path (from memory, before NestJS) and once on the full path (NestJS's
 * pipeline answering from the cache: CachedResponses.intercept for billing lists, TaskPlanService
 * for task plans), each path checked by counting the fast path's answers, and the two answers
 * compared header by header.
 */
describeWith(REDIS)('Fast-path and full-path answers', () => {
  const redis = useSharedRedis();

  describe.each([
    ['without CORS_ORIGINS', {}, false],
    ['with CORS_ORIGINS', { CORS_ORIGINS: 'https://console.example' }, false],
    ['with CORS_ORIGINS and an experiment (Vary: X-Client-Id)', { CORS_ORIGINS: 'https://console.example' }, true],
  ])('carry the same headers (%s)', (_case, variables: Record<string, string>, split) => {
    const experiment: Record<string, string> = split
      ? { PLAN_CACHE_EXPERIMENTS_FILE: useExperimentFile(EXPERIMENT) }
      : {};
    const client: Record<string, string> = split ? { 'x-client-id': clientIn(EXPERIMENT, 'short') } : {};
    const common = () => ({
      ...variables,
      ...experiment,
      ...sharedRedisVariables(redis()),
      PLANNER_BUILTIN_DELAY_MS: '0',
      PLAN_CACHE_MIN_GEN_TIME: '0',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
    });
    const app = useTestApp(common);
    /**
     * A second instance that does not warm its lists: a list the first one cached reaches it from
     * Redis, so its first answer for it comes from the cache through NestJS (the fast path only
     * reads this process's memory), and its next one from memory on the fast path.
     */
    const second = useTestApp(() => ({ ...common(), PLANS_CACHE_WARM: 'false' }));
    let fastAnswers: () => number;
    let fastAnswersOfSecond: () => number;

    /** `request`'s answer, and whether the fast path made it. */
    const answered = async (counted: () => number, request: Promise<RawAnswer>) => {
      const before = counted();
      const answer = await request;
      return { answer, fast: counted() > before };
    };

    /** A token never seen before: the fast path cannot know its caller, so the route answers. */
    let readers = 0;
    const fullPathCaller = async () => ({
      authorization: `Bearer ${await hs256Token({ sub: `reader-${++readers}` })}`,
    });

    const ask = (test: TestApp, method: string, path: string, headers: Record<string, string>, body?: unknown) =>
      rawRequest(test.url, path, {
        method,
        headers:
          body === undefined
            ? { ...client, ...headers }
            : { ...client, ...headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    const expectSameHeaders = (fast: RawAnswer, full: RawAnswer, ignore: string[] = []) => {
      expect(fast.status).toBe(200);
      expect(full.status).toBe(200);
      const without = (answer: RawAnswer) => kept(answer.headers).filter(([name]) => !ignore.includes(name));
      expect(without(fast)).toEqual(without(full));
      expect(fast.body.equals(full.body)).toBe(true);
    };

    beforeAll(async () => {
      fastAnswers = countFastAnswers(app());
      fastAnswersOfSecond = countFastAnswers(second());
      await askPlan(app(), GOAL, client).expect(200);
    });

    // One key per case: the second instance keeps in memory what it once took from Redis.
    it.each([
      ['/api/plans', {}],
      ['/api/plans?user_id=2', { 'accept-encoding': 'gzip, br' }],
      ['/api/plans?user_id=1', { 'accept-encoding': 'gzip' }],
      ['/api/plans?connection_type=hotspot', {}],
      ['/api/plans?user_id=1&connection_type=pppoe', { 'accept-encoding': 'br' }],
    ])('GET %s %j', async (path, headers: Record<string, string>) => {
      // Cached by the first instance (in its memory and in Redis), not in the second one's memory.
      await ask(app(), 'GET', path, headers);
      const full = await answered(fastAnswersOfSecond, ask(second(), 'GET', path, headers));
      const fast = await answered(fastAnswersOfSecond, ask(second(), 'GET', path, headers));
      expect([full.fast, fast.fast]).toEqual([false, true]);
      expect([full.answer.headers['x-cache'], fast.answer.headers['x-cache']]).toEqual(['HIT', 'HIT']);
      expectSameHeaders(fast.answer, full.answer);
      if ('CORS_ORIGINS' in variables) expect(fast.answer.headers.vary).toMatch(/\bOrigin\b/);
    });

    it.each([[{}], [{ 'accept-encoding': 'gzip, br' }]])(
      'POST /api/chat/plan %j',
      async (headers: Record<string, string>) => {
        const caller = await fullPathCaller();
        const { answer: fast, fast: fromMemory } = await answered(
          fastAnswers,
          ask(app(), 'POST', '/api/chat/plan', headers, GOAL),
        );
        const full = await answered(fastAnswers, ask(app(), 'POST', '/api/chat/plan', { ...headers, ...caller }, GOAL));
        expect([fromMemory, full.fast]).toEqual([true, false]);
        expect([fast.headers['x-cache'], full.answer.headers['x-cache']]).toEqual(['HIT', 'HIT']);
        expectSameHeaders(fast, full.answer);
        if ('CORS_ORIGINS' in variables) expect(fast.headers.vary).toMatch(/\bOrigin\b/);
        if (split) expect(fast.headers.vary).toMatch(/\bX-Client-Id\b/);
      },
    );

    it.each([
      ['GET', `/api/chat/stream?${new URLSearchParams(GOAL).toString()}`, undefined],
      ['POST', '/api/chat/stream', GOAL],
    ])('%s %s (the event stream)', async (method, path, body) => {
      const language = { 'accept-language': 'ru-RU,ru;q=0.9' };
      const caller = await fullPathCaller();
      const { answer: fast, fast: fromMemory } = await answered(fastAnswers, ask(app(), method, path, language, body));
      const full = await answered(fastAnswers, ask(app(), method, path, { ...language, ...caller }, body));
      expect([fromMemory, full.fast]).toEqual([true, false]);
      // Only the fast path says X-Cache on a stream (the route opens its stream before it knows).
      expect(fast.headers['x-cache']).toBe('HIT');
      expectSameHeaders(fast, full.answer, ['x-cache']);
      if ('CORS_ORIGINS' in variables) expect(fast.headers.vary).toMatch(/\bOrigin\b/);
      if (split) expect(fast.headers.vary).toMatch(/\bX-Client-Id\b/);
    });
  });
});
