import { countFastAnswers } from './support/fast-answers.js';
import { signedIn, TEST_JWT_SECRET } from './support/jwks-server.js';
import { metricValue } from './support/metrics-text.js';
import { askPlan, PLAN_PATH } from './support/plan-requests.js';
import { bearer, useTestApp } from './support/test-app.js';

/**
 * Cached answers are served before NestJS's pipeline (see AnswerFromMemory): these tests pin
 * what that path must keep — validation, regeneration, request ids, metrics and counting.
 */
describe('The cached hot path', () => {
  const app = useTestApp({
    PLANNER_BUILTIN_DELAY_MS: '30',
    PLAN_CACHE_MIN_GEN_TIME: '0',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
  });
  const goal = { goal: 'Open a coworking space', project_context: 'two floors' };
  let fastAnswers: () => number;

  const planStats = async () => (await app().http.get('/api/plan-cache/stats').set(bearer()).expect(200)).body;

  beforeAll(async () => {
    fastAnswers = countFastAnswers(app());
    await askPlan(app(), goal).expect(200);
    await app().http.get('/api/plans').expect(200);
  });

  it('answers a cached plan with the same body the full path gives, counted as one hit', async () => {
    // A token never seen before: the fast path cannot know its caller, so NestJS's route answers.
    const answeredFast = fastAnswers();
    const full = await askPlan(app(), goal, await signedIn({ sub: 'a-first-time-reader' })).expect(200);
    expect(fastAnswers()).toBe(answeredFast);
    const before = (await planStats()).namespaces.plan;
    const hit = await askPlan(app(), goal).expect(200);
    expect(fastAnswers()).toBe(answeredFast + 1);
    expect([full.headers['x-cache'], hit.headers['x-cache']]).toEqual(['HIT', 'HIT']);
    expect(hit.headers['content-type']).toBe(full.headers['content-type']);
    expect(hit.text).toBe(full.text);
    expect(hit.body).toMatchObject({ cached: true, source: 'l1', plan: expect.stringContaining('coworking') });
    const after = (await planStats()).namespaces.plan;
    expect(after.l1_hits - before.l1_hits).toBe(1);
    expect(after.misses - before.misses).toBe(0);
  });

  it('still refuses input the DTO refuses, even for a cached goal', async () => {
    const unknownField = await askPlan(app(), { ...goal, temperature: 1 }).expect(400);
    expect(unknownField.body.message).toContain('property temperature should not exist');
    const longGoal = await askPlan(app(), { goal: 'x'.repeat(4001) }).expect(400);
    expect(longGoal.body.message).toContain('goal must be at most 4000 characters');
    await askPlan(app(), '   ').expect(400);
  });

  it('hands a body it read and could not answer to the parser unchanged', async () => {
    const notJson = await app()
      .http.post('/api/chat/plan')
      .set('content-type', 'application/json')
      .send('{"goal": "Open a cow')
      .expect(400);
    expect(notJson.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const tooLarge = await askPlan(app(), { goal: 'x', project_context: 'y'.repeat(1024 * 1024) }).expect(413);
    expect(tooLarge.body.statusCode).toBe(413);
    const notJsonType = await app().http.post('/api/chat/plan').set('content-type', 'text/plain').send('hello');
    expect(notJsonType.status).toBe(415);
    const fresh = await askPlan(app(), 'A goal nobody asked yet').expect(200);
    expect(fresh.headers['x-cache']).toBe('MISS');
    expect(fresh.body.plan).toContain('goal nobody asked yet');
  });

  it('answers a body sent in chunks, without a length, from the cache too', async () => {
    const response = await fetch(`${app().url}${PLAN_PATH}`, {
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
    const fresh = await askPlan(app(), goal, { 'cache-control': 'no-cache' }).expect(200);
    expect(fresh.headers['x-cache']).toBe('MISS');
    expect(fresh.body.source).toBe('generator');
  });

  it('gives every cached answer a request id, the caller’s when it sends one', async () => {
    const list = await app().http.get('/api/plans').set('x-request-id', 'trace-42').expect(200);
    expect(list.headers['x-cache']).toBe('HIT');
    expect(list.headers['x-request-id']).toBe('trace-42');
    const plan = await askPlan(app(), goal).expect(200);
    expect(plan.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a cross-origin request from the cache too, after the framework’s request hooks', async () => {
    const list = await app().http.get('/api/plans').set('origin', 'https://console.example').expect(200);
    expect(list.headers['x-cache']).toBe('HIT');
    expect(list.body).toEqual((await app().http.get('/api/plans').expect(200)).body);
  });

  it('counts cached answers in the HTTP metrics under their route template', async () => {
    const listsAnswered = () =>
      metricValue(app(), 'http_request_duration_seconds_count', { method: 'GET', route: '/api/plans' });
    const before = await listsAnswered();
    for (let i = 0; i < 3; i++) expect((await app().http.get('/api/plans')).headers['x-cache']).toBe('HIT');
    const after = await listsAnswered();
    expect(after - before).toBe(3);
  });
});
