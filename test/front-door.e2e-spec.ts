import type { IncomingHttpHeaders } from 'node:http';
import { countFastAnswers } from './support/fast-answers.js';
import { hs256Token, TEST_JWT_SECRET } from './support/jwks-server.js';
import { rawRequest } from './support/raw-http.js';
import { useTestApp } from './support/test-app.js';

const GOAL = { goal: 'Plan a bicycle repair workshop', project_context: 'two mechanics' };
const ALLOWED = 'https://console.example';

/** Headers that differ between any two answers (when, which request) or describe the framing. */
const PER_ANSWER = new Set(['date', 'x-request-id', 'connection', 'keep-alive', 'content-length']);
const kept = (headers: IncomingHttpHeaders) =>
  Object.entries(headers)
    .filter(([name]) => !PER_ANSWER.has(name))
    .sort(([a], [b]) => a.localeCompare(b));

/**
 * The front door answers cached hits at node:http's request listener, before Fastify makes its
 * request (common/front-door.ts). Whatever reaches it, it must answer as Fastify and NestJS would,
 * or leave the request to them untouched.
 */
describe('The front door', () => {
  const app = useTestApp(() => ({
    PLAN_CACHE_MIN_GEN_TIME: '0',
    CORS_ORIGINS: ALLOWED,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
  }));
  let fastAnswers: () => number;
  let readers = 0;

  const ask = async (path: string, init: Parameters<typeof rawRequest>[2] = {}) => {
    const before = fastAnswers();
    const answer = await rawRequest(app().url, path, init);
    return { answer, fast: fastAnswers() > before };
  };
  const askPlan = (headers: Record<string, string> = {}) =>
    ask('/api/chat/plan', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(GOAL),
    });
  /** A token never seen before: no answer from memory can know its caller, so NestJS answers. */
  const fullPathCaller = async () => ({ authorization: `Bearer ${await hs256Token({ sub: `reader-${++readers}` })}` });

  beforeAll(async () => {
    fastAnswers = countFastAnswers(app());
    expect((await askPlan()).answer.status).toBe(200);
    expect((await ask('/api/plans')).answer.status).toBe(200);
  });

  it('answers a cached list with a length, the request id and nosniff', async () => {
    const { answer, fast } = await ask('/api/plans', { headers: { 'x-request-id': 'order-42' } });
    expect(fast).toBe(true);
    expect(answer.headers).toMatchObject({
      'x-cache': 'HIT',
      'x-request-id': 'order-42',
      'x-content-type-options': 'nosniff',
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(answer.body.length),
    });
    expect(JSON.parse(answer.body.toString('utf8'))).toEqual(expect.any(Array));
  });

  it('replaces a request id that is not a short token with its own', async () => {
    const { answer, fast } = await ask('/api/plans', { headers: { 'x-request-id': 'two words\u00e9' } });
    expect(fast).toBe(true);
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 304 without a body when the client has the answer, and 200 when it has another', async () => {
    const { answer } = await ask('/api/plans');
    const etag = String(answer.headers.etag);
    const same = await ask('/api/plans', { headers: { 'if-none-match': `"other", ${etag}` } });
    expect([same.fast, same.answer.status, same.answer.body.length]).toEqual([true, 304, 0]);
    expect(same.answer.headers.etag).toBe(etag);
    expect(same.answer.headers['content-type']).toBeUndefined();
    const other = await ask('/api/plans', { headers: { 'if-none-match': '"other"' } });
    expect([other.answer.status, other.answer.body.equals(answer.body)]).toEqual([200, true]);
  });

  it.each([
    ['a trailing slash', '/api/plans/', 404],
    ['a repeated query field', '/api/plans?user_id=1&user_id=2', 400],
    ['an unknown query field', '/api/plans?limit=1', 400],
  ])('leaves a path it does not answer exactly to the router: %s', async (_case, path, status) => {
    const { answer, fast } = await ask(path);
    expect(fast).toBe(false);
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.body.toString('utf8'))).toMatchObject({ statusCode: status });
  });

  it('routes an escaped path as the router does', async () => {
    const plain = await ask('/api/plans');
    const escaped = await ask('/api/%70lans');
    expect([escaped.answer.status, escaped.answer.body.equals(plain.answer.body)]).toEqual([200, true]);
  });

  it('answers HEAD as the framework does: the headers of GET, no body', async () => {
    const get = await ask('/api/plans');
    const head = await ask('/api/plans', { method: 'HEAD' });
    expect([head.answer.status, head.answer.body.length]).toEqual([200, 0]);
    expect(head.answer.headers.etag).toBe(get.answer.headers.etag);
  });

  it.each([
    ['an allowed origin', { origin: ALLOWED }],
    ['another origin', { origin: 'https://elsewhere.example' }],
    ['no origin', {}],
  ])('gives %s the CORS headers the full path gives', async (_case, origin: Record<string, string>) => {
    const fast = await askPlan(origin);
    const full = await askPlan({ ...origin, ...(await fullPathCaller()) });
    expect([fast.fast, full.fast]).toEqual([true, false]);
    expect([fast.answer.status, full.answer.status]).toEqual([200, 200]);
    expect(kept(fast.answer.headers)).toEqual(kept(full.answer.headers));
    expect(fast.answer.headers.vary).toMatch(/\bOrigin\b/);
    expect(fast.answer.headers['access-control-allow-origin']).toBe(origin.origin === ALLOWED ? ALLOWED : undefined);
  });

  it('hands a body it read and did not answer to the parser, which explains what is wrong', async () => {
    const { answer, fast } = await ask('/api/chat/plan', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"goal": "Plan a bicycle repair workshop",',
    });
    expect(fast).toBe(false);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body.toString('utf8'))).toMatchObject({ statusCode: 400 });
  });

  it('answers a caller with a malformed Authorization header as the full path does: 401', async () => {
    const { answer, fast } = await askPlan({ authorization: 'Basic abc' });
    expect(fast).toBe(false);
    expect(answer.status).toBe(401);
  });
});
