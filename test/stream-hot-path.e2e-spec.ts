import { clientIn, useExperimentFile, type ExperimentFile } from './support/experiment-file.js';
import { hs256Token, TEST_JWT_SECRET } from './support/jwks-server.js';
import { readSse, type SseResult } from './support/sse-client.js';
import { bearer, useTestApp, type TestApp } from './support/test-app.js';
import { askPlan } from './support/plan-requests.js';

const EXPERIMENT: ExperimentFile = {
  name: 'stream-labels',
  variants: [
    { name: 'control', weight: 1 },
    { name: 'short', weight: 1, ttl: 60 },
  ],
};

/**
 * A cached plan's stream is answered from memory, in one write, before NestJS's pipeline; these
 * tests hold it to the bytes and headers of the full path, and keep what it must leave to the route.
 */
describe('The cached stream hot path', () => {
  const experiment = useExperimentFile(EXPERIMENT);
  const app = useTestApp({
    PLANNER_BUILTIN_DELAY_MS: '30',
    PLAN_CACHE_MIN_GEN_TIME: '0',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    PLAN_CACHE_EXPERIMENTS_FILE: experiment,
  });
  const goal = { goal: 'Open a bakery downtown', project_context: 'two ovens' };
  const client = clientIn(EXPERIMENT, 'short');
  const query = (extra: Record<string, string> = {}) =>
    new URLSearchParams({ goal: goal.goal, project_context: goal.project_context, ...extra }).toString();

  const planHits = async (test: TestApp) =>
    (await test.http.get('/api/plan-cache/stats').set(bearer()).expect(200)).body.namespaces.plan.l1_hits as number;

  const stream = (path: string, headers: Record<string, string> = {}, body?: unknown): Promise<SseResult> =>
    readSse(`${app().url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        'x-client-id': client,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  /**
   * A token never seen before: the fast path cannot know its caller without verifying it, so the
   * request takes the full path (verification, validation, the controller) to the same cached plan.
   */
  let references = 0;
  const fullPath = async () => ({ authorization: `Bearer ${await hs256Token({ sub: `reader-${++references}` })}` });

  beforeAll(async () => {
    await askPlan(app(), goal, { 'x-client-id': client }).expect(200);
  });

  it.each([
    ['English', {}],
    ['Russian', { 'accept-language': 'ru-RU,ru;q=0.9' }],
  ])('sends the same events and headers as the full path for a GET (%s labels)', async (_language, language) => {
    const before = await planHits(app());
    const fast = await stream(`/api/chat/stream?${query()}`, language);
    const full = await stream(`/api/chat/stream?${query()}`, { ...language, ...(await fullPath()) });
    expect(fast.status).toBe(200);
    expect(fast.raw).toBe(full.raw);
    expect(fast.events.map((event) => event.event)).toEqual([
      'step',
      ...fast.events.slice(1, -1).map(() => 'chunk'),
      'done',
    ]);
    expect(fast.events[0].data.label).toBe('accept-language' in language ? 'План из кэша' : 'Plan from cache');
    expect(fast.events.at(-1)!.data).toMatchObject({ cached: true, source: 'l1', stale: false });
    // The stream ends with done, telling an EventSource not to come back for a day; nothing else sets it.
    expect(
      fast.raw.endsWith(`retry: 86400000\nevent: done\ndata: ${JSON.stringify(fast.events.at(-1)!.data)}\n\n`),
    ).toBe(true);
    expect(fast.raw.match(/^retry:/gm)).toHaveLength(1);
    for (const header of ['content-type', 'cache-control', 'vary', 'x-cache-variant', 'x-accel-buffering']) {
      expect([header, fast.headers.get(header)]).toEqual([header, full.headers.get(header)]);
    }
    expect(fast.headers.get('vary')).toBe('Accept-Language, X-Client-Id');
    expect(fast.headers.get('x-cache-variant')).toBe('short');
    // Only the fast path says X-Cache on a stream: this one was answered from memory, that one by the route.
    expect(fast.headers.get('x-cache')).toBe('HIT');
    expect(full.headers.get('x-cache')).toBeNull();
    expect(fast.headers.get('x-request-id')).toBeTruthy();
    expect(fast.headers.get('x-request-id')).not.toBe(full.headers.get('x-request-id'));
    expect((await planHits(app())) - before).toBe(2);
  });

  it('answers a POST stream from memory too, with the same events', async () => {
    const fast = await stream('/api/chat/stream', {}, goal);
    const full = await stream('/api/chat/stream', await fullPath(), goal);
    expect(fast.status).toBe(200);
    expect(fast.raw).toBe(full.raw);
    expect(fast.headers.get('x-cache')).toBe('HIT');
    expect(full.headers.get('x-cache')).toBeNull();
  });

  it('leaves directives, chat replies and anything to validate to the route', async () => {
    const regenerated = await stream(`/api/chat/stream?${query({ cache_control: 'no-cache' })}`);
    expect(regenerated.events[0].data.code).toBe('generating_plan');
    const reply = await stream(`/api/chat/stream?${query({ mode: 'chat' })}`);
    expect(reply.events[0].data.code).toBe('generating_reply');
    const unknownField = await app().http.get(`/api/chat/stream?${query({ colour: 'blue' })}`);
    expect(unknownField.status).toBe(400);
    const badMode = await app().http.get(`/api/chat/stream?${query({ mode: 'poem' })}`);
    expect(badMode.status).toBe(400);
    const postDirective = await stream(
      '/api/chat/stream',
      { 'cache-control': 'only-if-cached' },
      { goal: 'Never asked' },
    );
    expect(postDirective.events.map((event) => event.data.code)).toEqual(['not_cached']);
  });
});
