import { bearer, useTestApp } from './support/test-app.js';

/** A JSON text nested `depth` arrays deep, as an attacker writes it (no object to build first). */
const deepJson = (depth: number) => `{"goal":"Plan a picnic","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
/** A JSON object with `count` unknown fields beside a valid goal: under the 1 MiB body limit. */
const wideJson = (count: number) =>
  `{"goal":"Plan a picnic",${Array.from({ length: count }, (_, i) => `"k${i}":1`).join(',')}}`;

/**
 * A body's shape is bounded before validation: thousands of unknown fields made the validation
 * pipe hold the event loop for seconds (its work grows with the square of the keys), and thousands
 * of nesting levels overflowed its stack (a 500). Both are a 400 that says what is wrong.
 */
describe('Request bodies too deep or too wide', () => {
  const app = useTestApp({ PLANNER_BUILTIN_DELAY_MS: '0', PLAN_CACHE_MIN_GEN_TIME: '0' });

  const post = (path: string, body: string, admin = false) =>
    app()
      .http.post(path)
      .set({ 'content-type': 'application/json', ...(admin ? bearer() : {}) })
      .send(body);

  it.each([
    ['/api/chat/plan', false],
    ['/api/chat/stream', false],
    ['/api/chat/plan/feedback', false],
    ['/api/plans', true],
    ['/api/plan-cache/clear', true],
  ])('answers 400, never 500, to a body 3,000 levels deep on %s', async (path, admin) => {
    const answer = await post(path, deepJson(3000), admin);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(answer.body.message).toMatch(/nested deeper than 32 levels/);
  });

  it('answers 400 to 75,000 unknown fields with one short message, and the service goes on answering', async () => {
    const body = wideJson(75_000);
    expect(body.length).toBeLessThan(1024 * 1024);
    const answer = await post('/api/chat/plan', body);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/more than 1000 fields/);
    expect(JSON.stringify(answer.body).length).toBeLessThan(500);
    await post('/api/chat/plan', JSON.stringify({ goal: 'Plan a picnic' })).expect(200);
  });

  it('still validates a body within the bounds field by field', async () => {
    const answer = await post('/api/chat/plan', wideJson(3));
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/property k0 should not exist/);
  });
});
