import { bearer, useTestApp } from './support/test-app.js';

/**
 * Cached answers are served before NestJS's pipeline (see AnswerFromMemory): these tests pin
 * what that path must keep — validation, regeneration, request ids, metrics and counting.
 */
describe('The cached hot path', () => {
  const app = useTestApp({ PLANNER_BUILTIN_DELAY_MS: '30', PLAN_CACHE_MIN_GEN_TIME: '0' });
  const goal = { goal: 'Open a coworking space', project_context: 'two floors' };

  const planStats = async () => (await app().http.get('/api/plan-cache/stats').set(bearer()).expect(200)).body;

  beforeAll(async () => {
    await app().http.post('/api/chat/plan').send(goal).expect(200);
    await app().http.get('/api/plans').expect(200);
  });

  it('answers a cached plan with the same body the full path gives, counted as one hit', async () => {
    const before = (await planStats()).namespaces.plan;
    const hit = await app().http.post('/api/chat/plan').send(goal).expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(hit.body).toEqual({
      plan: expect.stringContaining('coworking'),
      cached: true,
      stale: false,
      source: 'l1',
      key: expect.stringMatching(/^plan:[0-9a-f]{16}$/),
      generation_ms: null,
      truncated: false,
      usage: null,
      saved: { input_tokens: expect.any(Number), output_tokens: expect.any(Number), estimated: true },
    });
    const after = (await planStats()).namespaces.plan;
    expect(after.l1_hits - before.l1_hits).toBe(1);
    expect(after.misses - before.misses).toBe(0);
  });

  it('still refuses input the DTO refuses, even for a cached goal', async () => {
    const unknownField = await app()
      .http.post('/api/chat/plan')
      .send({ ...goal, temperature: 1 })
      .expect(400);
    expect(unknownField.body.message).toContain('property temperature should not exist');
    const longGoal = await app()
      .http.post('/api/chat/plan')
      .send({ goal: 'x'.repeat(4001) })
      .expect(400);
    expect(longGoal.body.message).toContain('goal must be at most 4000 characters');
    await app().http.post('/api/chat/plan').send({ goal: '   ' }).expect(400);
  });

  it('hands a body it read and could not answer to the parser unchanged', async () => {
    const notJson = await app()
      .http.post('/api/chat/plan')
      .set('content-type', 'application/json')
      .send('{"goal": "Open a cow')
      .expect(400);
    expect(notJson.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const tooLarge = await app()
      .http.post('/api/chat/plan')
      .send({ goal: 'x', project_context: 'y'.repeat(1024 * 1024) })
      .expect(413);
    expect(tooLarge.body.statusCode).toBe(413);
    const notJsonType = await app().http.post('/api/chat/plan').set('content-type', 'text/plain').send('hello');
    expect(notJsonType.status).toBe(415);
    const fresh = await app().http.post('/api/chat/plan').send({ goal: 'A goal nobody asked yet' }).expect(200);
    expect(fresh.headers['x-cache']).toBe('MISS');
    expect(fresh.body.plan).toContain('goal nobody asked yet');
  });

  it('answers a body sent in chunks, without a length, from the cache too', async () => {
    const response = await fetch(`${app().url}/api/chat/plan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([JSON.stringify(goal)]).stream(),
      duplex: 'half',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-cache')).toBe('HIT');
    expect(((await response.json()) as { source: string }).source).toBe('l1');
  });

  it('regenerates on Cache-Control: no-cache instead of answering from memory', async () => {
    const fresh = await app().http.post('/api/chat/plan').set('cache-control', 'no-cache').send(goal).expect(200);
    expect(fresh.headers['x-cache']).toBe('MISS');
    expect(fresh.body.source).toBe('generator');
  });

  it('gives every cached answer a request id, the caller’s when it sends one', async () => {
    const list = await app().http.get('/api/plans').set('x-request-id', 'trace-42').expect(200);
    expect(list.headers['x-cache']).toBe('HIT');
    expect(list.headers['x-request-id']).toBe('trace-42');
    const plan = await app().http.post('/api/chat/plan').send(goal).expect(200);
    expect(plan.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a cross-origin request from the cache too, after the framework’s request hooks', async () => {
    const list = await app().http.get('/api/plans').set('origin', 'https://console.example').expect(200);
    expect(list.headers['x-cache']).toBe('HIT');
    expect(list.body).toEqual((await app().http.get('/api/plans').expect(200)).body);
  });

  it('counts cached answers in the HTTP metrics under their route template', async () => {
    const series = (text: string) =>
      Number(
        text
          .split('\n')
          .find((line) => line.startsWith('http_request_duration_seconds_count{method="GET",route="/api/plans",'))
          ?.split(' ')[1] ?? 0,
      );
    const before = series((await app().http.get('/metrics')).text);
    for (let i = 0; i < 3; i++) expect((await app().http.get('/api/plans')).headers['x-cache']).toBe('HIT');
    const after = series((await app().http.get('/metrics')).text);
    expect(after - before).toBe(3);
  });
});
