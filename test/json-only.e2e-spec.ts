import { rawRequest } from './support/raw-http.js';
import { bearer, useTestApp } from './support/test-app.js';
import { askPlan } from './support/plan-requests.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * JSON routes accept JSON only: a form post (what any web page can send without a preflight) is
 * refused with 415 before it reaches a handler, a cached answer or an admin action.
 */
describe('JSON routes accept JSON only', () => {
  const app = useTestApp({ PLANNER_BUILTIN_DELAY_MS: '0', PLAN_CACHE_MIN_GEN_TIME: '0' });
  const goal = 'Plan a bake sale for the school';

  beforeAll(async () => {
    await askPlan(app(), goal).expect(200);
    await askPlan(app(), goal).expect(200);
  });

  it('refuses a form body on POST /api/chat/plan with 415, for a cached goal too, with the error shape', async () => {
    const cached = await app()
      .http.post('/api/chat/plan')
      .set('content-type', FORM)
      .send(`goal=${encodeURIComponent(goal)}`);
    expect(cached.status).toBe(415);
    expect(cached.headers['x-cache']).toBeUndefined();
    expect(cached.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
    expect(cached.body.message).toContain('application/json');
    const fresh = await app().http.post('/api/chat/plan').set('content-type', FORM).send('goal=Never+asked+before');
    expect(fresh.status).toBe(415);
  });

  it('refuses a form body on the stream route with 415, and never opens a stream', async () => {
    const refused = await app()
      .http.post('/api/chat/stream')
      .set('content-type', FORM)
      .send(`goal=${encodeURIComponent(goal)}`);
    expect(refused.status).toBe(415);
    expect(refused.headers['content-type']).toContain('application/json');
  });

  it('refuses a form body on an admin clear, which then clears nothing', async () => {
    const before = (await app().http.get('/api/plan-cache/stats').set(bearer()).expect(200)).body;
    expect(before.local_cache_size).toBeGreaterThan(0);
    const refused = await app()
      .http.post('/api/plan-cache/clear')
      .set(bearer())
      .set('content-type', FORM)
      .send('namespace=plan');
    expect(refused.status).toBe(415);
    const emptyForm = await app().http.post('/api/plan-cache/clear').set(bearer()).set('content-type', FORM).send('');
    expect(emptyForm.status).toBe(415);
    const after = (await app().http.get('/api/plan-cache/stats').set(bearer()).expect(200)).body;
    expect(after.namespaces.plan.size ?? after.local_cache_size).toBe(
      before.namespaces.plan.size ?? before.local_cache_size,
    );
    expect((await askPlan(app(), goal).expect(200)).headers['x-cache']).toBe('HIT');
  });

  it('refuses a form body on billing mutations with 415, and lets a DELETE without a body through', async () => {
    const refused = await app()
      .http.post('/api/plans')
      .set(bearer())
      .set('content-type', FORM)
      .send('name=Form&connection_type=hotspot&price=1.00');
    expect(refused.status).toBe(415);
    const patched = await app().http.patch('/api/plans/1').set(bearer()).set('content-type', FORM).send('price=0.01');
    expect(patched.status).toBe(415);
    expect((await app().http.get('/api/plans/1').expect(200)).body.price).not.toBe('0.01');
    await app().http.delete('/api/plans/999999').set(bearer()).set('content-type', FORM).expect(404);
  });

  it('refuses other media types and a body without a type, and accepts JSON with a charset', async () => {
    for (const type of [
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/merge-patch+json',
    ]) {
      const refused = await app().http.post('/api/chat/plan').set('content-type', type).send('{"goal":"x"}');
      expect({ type, status: refused.status }).toEqual({ type, status: 415 });
    }
    const body = JSON.stringify({ goal });
    const untyped = await rawRequest(app().url, '/api/chat/plan', {
      method: 'POST',
      headers: { 'content-length': String(Buffer.byteLength(body)) },
      body,
    });
    expect(untyped.status).toBe(415);
    const charset = await app()
      .http.post('/api/chat/plan')
      .set('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ goal }))
      .expect(200);
    expect(charset.headers['x-cache']).toBe('HIT');
  });
});
