import { bearer } from './support/test-app.js';
import { useOpenAiApp } from './support/openai-app.js';
import { askPlan, fetchPlan } from './support/plan-requests.js';
import { eventually } from './support/eventually.js';
import { chunksText, readSse } from './support/sse-client.js';
import { DEFAULT_ANSWER } from './support/fake-openai-server.js';

describe('Task plans through an OpenAI-compatible planner', () => {
  const { app, openai } = useOpenAiApp();
  let goalCounter = 0;
  /** A goal no other test uses, so that each test starts from a cold cache. */
  const uniqueGoal = (label = 'goal') => `Test ${label} number ${++goalCounter}`;

  describe('POST /api/chat/plan', () => {
    it('generates on a miss, then answers from the cache without calling the planner', async () => {
      const goal = uniqueGoal();
      const first = await askPlan(app(), goal).expect(200);
      expect(first.headers['x-cache']).toBe('MISS');
      expect(first.body).toEqual({
        plan: openai.answer(goal),
        cached: false,
        stale: false,
        source: 'generator',
        key: expect.stringMatching(/^plan:[0-9a-f]{16}$/),
        generation_ms: expect.any(Number),
        truncated: false,
        // As the planner reported it; a hit tells what it saved instead.
        usage: { input_tokens: 120, output_tokens: 80, estimated: false },
        saved: null,
      });
      expect(first.body.generation_ms).toBeGreaterThanOrEqual(200);
      const second = await askPlan(app(), goal).expect(200);
      expect(second.headers['x-cache']).toBe('HIT');
      expect(second.body).toEqual({
        ...first.body,
        cached: true,
        source: 'l1',
        generation_ms: null,
        usage: null,
        saved: first.body.usage,
      });
      expect(openai.calls).toBe(1);
      expect(openai.requests[0]).toMatchObject({ model: 'test-model', stream: false });
    });

    it('finds the plan of a goal written with other spaces and case', async () => {
      const goal = uniqueGoal('Normalized');
      await askPlan(app(), goal).expect(200);
      const variant = `   ${goal.toUpperCase().replace(/ /g, '  \t ')}  `;
      const hit = await askPlan(app(), variant).expect(200);
      expect(hit.headers['x-cache']).toBe('HIT');
      expect(openai.calls).toBe(1);
    });

    it('keeps plans for different project contexts apart', async () => {
      const goal = uniqueGoal('context');
      const a = await askPlan(app(), { goal, project_context: 'team of two' }).expect(200);
      const b = await askPlan(app(), { goal, project_context: 'team of ten' }).expect(200);
      const c = await askPlan(app(), goal).expect(200);
      expect([a, b, c].map((r) => r.headers['x-cache'])).toEqual(['MISS', 'MISS', 'MISS']);
      expect(new Set([a.body.key, b.body.key, c.body.key]).size).toBe(3);
      expect(openai.calls).toBe(3);
      expect(openai.requests[0].messages?.[1].content).toContain('Project context:\nteam of two');
    });

    it('makes one planner call for 40 concurrent identical misses', async () => {
      const goal = uniqueGoal('stampede');
      const stats = async () => (await app().http.get('/api/plan-cache/stats').set(bearer())).body.namespaces.plan;
      const before = await stats();
      let answer!: () => void;
      openai.holdUntil = new Promise((resolve) => (answer = resolve));
      const asked = Promise.all(Array.from({ length: 40 }, () => askPlan(app(), goal).expect(200)));
      // The planner answers only once every request has joined the first one's generation.
      await eventually(
        async () => (await stats()).coalesced - before.coalesced === 39,
        10_000,
        'all 40 requests wait on one generation',
      );
      answer();
      const answers = await asked;
      expect(openai.calls).toBe(1);
      expect(new Set(answers.map((a) => a.body.plan))).toEqual(new Set([openai.answer(goal)]));
      const after = await stats();
      expect(after.coalesced - before.coalesced).toBe(39);
      expect(after.sets - before.sets).toBe(1);
    });

    it('does not cache a plan generated faster than PLAN_CACHE_MIN_GEN_TIME', async () => {
      openai.latencyMs = 0;
      const goal = uniqueGoal('fast');
      const before = (await app().http.get('/api/plan-cache/stats').set(bearer())).body.namespaces.plan;
      for (let i = 0; i < 2; i++) {
        const answer = await askPlan(app(), goal).expect(200);
        expect(answer.headers['x-cache']).toBe('MISS');
      }
      expect(openai.calls).toBe(2);
      const after = (await app().http.get('/api/plan-cache/stats').set(bearer())).body.namespaces.plan;
      expect(after.skipped_fast - before.skipped_fast).toBe(2);
    });

    it('answers 503 with the reason when the planner fails and nothing is cached', async () => {
      openai.failWith = { status: 500, message: 'model overloaded at 10.0.3.7' };
      const { body, headers } = await askPlan(app(), uniqueGoal('down')).expect(503);
      // The upstream's words stay in the log: the client gets a fixed message and its request id.
      expect(body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'The planner is not available right now; try again in a moment',
        request_id: headers['x-request-id'],
      });
    });

    it('does not cache a failure: the next request calls the planner again', async () => {
      const goal = uniqueGoal('recovers');
      openai.failWith = { status: 502, message: 'bad gateway' };
      await askPlan(app(), goal).expect(503);
      openai.failWith = undefined;
      const answer = await askPlan(app(), goal).expect(200);
      expect(answer.headers['x-cache']).toBe('MISS');
      expect(openai.calls).toBe(2);
    });

    it('regenerates and replaces the plan on Cache-Control: no-cache', async () => {
      const goal = uniqueGoal('regenerate');
      await askPlan(app(), goal).expect(200);
      openai.answer = (g) => `Second plan for ${g}\n1. Again\n`;
      try {
        // Replacing a shared plan is for authenticated callers.
        const fresh = await askPlan(app(), goal, { 'cache-control': 'no-cache', ...bearer() }).expect(200);
        expect(fresh.headers['x-cache']).toBe('MISS');
        expect(fresh.body.plan).toBe(`Second plan for ${goal}\n1. Again\n`);
        const next = await askPlan(app(), goal).expect(200);
        expect(next.headers['x-cache']).toBe('HIT');
        expect(next.body.plan).toBe(fresh.body.plan);
        expect(openai.calls).toBe(2);
      } finally {
        openai.answer = DEFAULT_ANSWER;
      }
    });

    it('cancels the planner request when its only client disconnects', async () => {
      openai.latencyMs = 3000;
      const controller = new AbortController();
      const pending = fetchPlan(app().url, uniqueGoal('leaves'), {}, { signal: controller.signal }).catch(
        () => undefined,
      );
      await eventually(() => openai.calls === 1);
      controller.abort();
      await pending;
      await eventually(() => openai.aborted === 1);
      expect(openai.completed).toBe(0);
    });

    it.each([
      ['no goal', {}, 'goal must be a string'],
      ['an empty goal', { goal: '' }, 'goal must not be empty'],
      ['a goal of spaces', { goal: ' \n\t ' }, 'goal must not be empty'],
      ['a goal of punctuation alone', { goal: '???' }, 'goal must contain a letter or a digit'],
      ['a goal of a zero-width space', { goal: '\u200b' }, 'goal must contain a letter or a digit'],
      ['a goal over 4000 characters', { goal: 'x'.repeat(4001) }, 'goal must be at most 4000 characters'],
      ['a goal that is a number', { goal: 42 }, 'goal must be a string'],
      [
        'a context over 20000 characters',
        { goal: 'ok', project_context: 'x'.repeat(20001) },
        'project_context must be at most',
      ],
      ['a context that is an object', { goal: 'ok', project_context: { a: 1 } }, 'project_context must be a string'],
      ['an unknown field', { goal: 'ok', temperature: 2 }, 'property temperature should not exist'],
      ['an array body', [{ goal: 'ok' }], 'The request body must be a JSON object'],
    ])('refuses %s with 400', async (_case, payload, message) => {
      const { body } = await app()
        .http.post('/api/chat/plan')
        .set('content-type', 'application/json')
        .send(JSON.stringify(payload))
        .expect(400);
      expect(body.message).toContain(message);
      expect(openai.calls).toBe(0);
    });

    it('accepts a goal of exactly 4000 characters after trimming', async () => {
      const goal = `  ${'y'.repeat(4000)}  `;
      await askPlan(app(), goal).expect(200);
    });
  });

  describe('event streams', () => {
    it('streams a new plan in chunks that join to the plan, then replays it from the cache', async () => {
      const goal = uniqueGoal('stream');
      const first = await readSse(`${app().url}/api/chat/stream?goal=${encodeURIComponent(goal)}`);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(first.headers.get('cache-control')).toBe('private, no-cache, no-transform');
      expect(first.headers.get('vary')).toBe('Accept-Language');
      expect(first.headers.get('x-accel-buffering')).toBe('no');
      expect(first.events[0]).toEqual({ event: 'step', data: { code: 'generating_plan', label: 'Generating plan' } });
      expect(first.events.filter((e) => e.event === 'chunk').length).toBeGreaterThan(1);
      expect(chunksText(first.events)).toBe(openai.answer(goal));
      const done = first.events.at(-1)!;
      expect(done).toEqual({
        event: 'done',
        data: {
          cached: false,
          stale: false,
          source: 'generator',
          key: expect.stringMatching(/^plan:/),
          generation_ms: expect.any(Number),
          etag: expect.stringMatching(/^W\/"[\w-]{27}"$/),
          truncated: false,
          usage: { input_tokens: 120, output_tokens: 80, estimated: false },
          saved: null,
        },
      });
      expect(openai.requests[0].stream).toBe(true);

      const again = await readSse(`${app().url}/api/chat/stream?goal=${encodeURIComponent(goal)}`);
      expect(again.events[0]).toEqual({ event: 'step', data: { code: 'plan_from_cache', label: 'Plan from cache' } });
      expect(chunksText(again.events)).toBe(openai.answer(goal));
      expect(again.events.at(-1)).toEqual({
        event: 'done',
        data: {
          cached: true,
          stale: false,
          source: 'l1',
          key: done.data.key,
          generation_ms: null,
          etag: done.data.etag,
          truncated: false,
          usage: null,
          saved: { input_tokens: 120, output_tokens: 80, estimated: false },
        },
      });
      expect(openai.calls).toBe(1);
    });

    it('replays a plan cached by POST /api/chat/plan, also through POST /api/chat/stream', async () => {
      const goal = uniqueGoal('replay');
      const { body } = await askPlan(app(), { goal, project_context: 'ctx' }).expect(200);
      const stream = await readSse(`${app().url}/api/chat/stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ goal, project_context: 'ctx', mode: 'plan' }),
      });
      expect(stream.events[0].data.code).toBe('plan_from_cache');
      expect(chunksText(stream.events)).toBe(body.plan);
      expect(openai.calls).toBe(1);
    });

    it('regenerates a GET stream on cache_control=no-cache in the query, not on the header every EventSource sends', async () => {
      const goal = uniqueGoal('stream-regenerate');
      const url = `${app().url}/api/chat/stream?goal=${encodeURIComponent(goal)}`;
      await readSse(url);
      // What a browser's EventSource sends on every request: not a wish for a new plan.
      const cached = await readSse(url, { headers: { 'cache-control': 'no-cache', pragma: 'no-cache' } });
      expect(cached.events[0].data.code).toBe('plan_from_cache');
      const regenerated = await readSse(`${url}&cache_control=no-cache`);
      expect(regenerated.events[0].data.code).toBe('generating_plan');
      expect(regenerated.events.at(-1)?.data).toMatchObject({ cached: false, source: 'generator' });
      expect(openai.calls).toBe(2);
      const tooLong = await fetch(`${url}&cache_control=${'x'.repeat(201)}`);
      expect(tooLong.status).toBe(400);
      expect(await tooLong.json()).toMatchObject({ message: 'cache_control must be at most 200 characters' });
    });

    it('labels the steps in Russian when the client prefers it', async () => {
      const goal = uniqueGoal('russian');
      const headers = { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.8' };
      const first = await readSse(`${app().url}/api/chat/stream?goal=${encodeURIComponent(goal)}`, { headers });
      expect(first.events[0].data).toEqual({ code: 'generating_plan', label: 'Генерирую план' });
      const second = await readSse(`${app().url}/api/chat/stream?goal=${encodeURIComponent(goal)}`, { headers });
      expect(second.events[0].data).toEqual({ code: 'plan_from_cache', label: 'План из кэша' });
    });

    it('shares one planner call between POST and stream clients, each stream getting every chunk', async () => {
      const goal = uniqueGoal('shared');
      const url = `${app().url}/api/chat/stream?goal=${encodeURIComponent(goal)}`;
      const results = await Promise.all([readSse(url), readSse(url), askPlan(app(), goal), readSse(url)]);
      expect(openai.calls).toBe(1);
      for (const stream of [results[0], results[1], results[3]])
        expect(chunksText(stream.events)).toBe(openai.answer(goal));
    });

    it('sends heartbeat comments while a generation takes long', async () => {
      openai.latencyMs = 1200;
      const stream = await readSse(`${app().url}/api/chat/stream?goal=${encodeURIComponent(uniqueGoal('slow'))}`);
      expect(stream.raw).toContain(': heartbeat\n\n');
      expect(stream.events.at(-1)?.event).toBe('done');
    });

    it('reports a planner failure as an error event and ends the stream', async () => {
      openai.failWith = { status: 401, message: 'Incorrect API key provided: sk-te***-key' };
      const stream = await readSse(`${app().url}/api/chat/stream?goal=${encodeURIComponent(uniqueGoal('error'))}`);
      expect(stream.status).toBe(200);
      expect(stream.events.map((e) => e.event)).toEqual(['step', 'error']);
      expect(stream.events[1].data).toEqual({
        code: 'planner_unavailable',
        message: 'The planner is not available right now; try again in a moment',
        request_id: stream.headers.get('x-request-id'),
      });
      expect(stream.raw).not.toContain('sk-te');
    });

    it('cancels the planner request when the last stream client disconnects, not before', async () => {
      openai.latencyMs = 2000;
      const goal = uniqueGoal('disconnect');
      const url = `${app().url}/api/chat/stream?goal=${encodeURIComponent(goal)}`;
      const leaving = new AbortController();
      const first = readSse(url, { signal: leaving.signal }).catch(() => undefined);
      await eventually(() => openai.calls === 1);
      const staying = readSse(url);
      await new Promise((resolve) => setTimeout(resolve, 100));
      leaving.abort();
      await first;
      const stayed = await staying;
      expect(stayed.events.at(-1)?.event).toBe('done');
      expect(chunksText(stayed.events)).toBe(openai.answer(goal));
      expect(openai.aborted).toBe(0);

      const alone = new AbortController();
      const lone = readSse(`${url}%20alone`, { signal: alone.signal }).catch(() => undefined);
      await eventually(() => openai.calls === 2);
      alone.abort();
      await lone;
      await eventually(() => openai.aborted === 1);
    });

    it('streams a chat reply that is never cached', async () => {
      const goal = uniqueGoal('chat');
      const url = `${app().url}/api/chat/stream?mode=chat&goal=${encodeURIComponent(goal)}`;
      const first = await readSse(url);
      expect(first.events[0].data).toEqual({ code: 'generating_reply', label: 'Generating reply' });
      expect(chunksText(first.events)).toBe(openai.answer(goal));
      expect(first.events.at(-1)?.data).toMatchObject({ cached: false, key: null });
      await readSse(url);
      expect(openai.calls).toBe(2);
      expect(openai.requests[0].messages?.[0].content).toContain('Answer the user briefly');
    });

    it.each([
      ['?mode=plan', 'goal must be a string'],
      ['?goal=', 'goal must not be empty'],
      ['?goal=%3F%21', 'goal must contain a letter or a digit'],
      ['?goal=x&mode=poem', 'mode must be one of: plan, chat'],
      ['?goal=x&extra=1', 'property extra should not exist'],
    ])('refuses GET /api/chat/stream%s with 400 before streaming', async (query, message) => {
      const { body } = await app().http.get(`/api/chat/stream${query}`).expect(400);
      expect(body.message).toContain(message);
    });
  });

  describe('cache administration', () => {
    it('clears the plan of one goal, normalized the same way', async () => {
      const goal = uniqueGoal('clear');
      const kept = uniqueGoal('kept');
      await askPlan(app(), { goal, project_context: 'p' }).expect(200);
      await askPlan(app(), kept).expect(200);
      const { body } = await app()
        .http.post('/api/plan-cache/clear')
        .query({ goal: ` ${goal.toUpperCase()} `, project_context: 'p' })
        .set(bearer())
        .expect(200);
      expect(body).toEqual({ cleared: 1 });
      expect((await askPlan(app(), { goal, project_context: 'p' }).expect(200)).headers['x-cache']).toBe('MISS');
      expect((await askPlan(app(), kept).expect(200)).headers['x-cache']).toBe('HIT');
    });

    it('clears the plan of one goal named in a JSON body, keeping a long private context out of the URL', async () => {
      const goal = uniqueGoal('clear by body');
      const context = 'private context '.repeat(1_000);
      await askPlan(app(), { goal, project_context: context }).expect(200);
      const { body } = await app()
        .http.post('/api/plan-cache/clear')
        .set(bearer())
        .send({ goal, project_context: context })
        .expect(200);
      expect(body).toEqual({ cleared: 1 });
      const again = await askPlan(app(), { goal, project_context: context }).expect(200);
      expect(again.headers['x-cache']).toBe('MISS');
    });

    it('refuses a goal with the other namespace, and fields in both query and body', async () => {
      await app().http.post('/api/plan-cache/clear?goal=x&namespace=plans').set(bearer()).expect(400);
      await app().http.post('/api/plan-cache/clear').set(bearer()).send({ goal: 'x', namespace: 'plans' }).expect(400);
      const both = await app().http.post('/api/plan-cache/clear?namespace=plan').set(bearer()).send({ goal: 'x' });
      expect(both.status).toBe(400);
      expect(both.body.message).toBe('Say what to clear in the query or in the body, not in both');
    });
  });
});
