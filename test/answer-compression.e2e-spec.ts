import { readSse } from './support/sse-client.js';
import { decoded, rawGet, rawRequest, type RawAnswer } from './support/raw-http.js';
import { samplePlan } from './support/sample-plan.js';
import { bearer, useTestApp } from './support/test-app.js';

const BIG_LIST_USER = 777;
const LIST = `/api/plans?user_id=${BIG_LIST_USER}`;
const SMALL_LIST = '/api/plans?user_id=778';

describe('Compressed cached answers', () => {
  const app = useTestApp({ PLANS_CACHE_WARM: 'false', PLANNER_BUILTIN_DELAY_MS: '0', PLAN_CACHE_MIN_GEN_TIME: '0' });
  const get = (path: string, headers: Record<string, string> = {}) => rawGet(app().url, path, headers);
  const json = (answer: RawAnswer): unknown =>
    JSON.parse(decoded(answer.body, answer.headers['content-encoding']).toString('utf8'));

  beforeAll(async () => {
    for (let index = 0; index < 200; index++) {
      await app()
        .http.post('/api/plans')
        .set(bearer())
        .send(samplePlan({ name: `Compressed plan ${index}`, user_id: BIG_LIST_USER, price: `${index + 1}.99` }))
        .expect(201);
    }
    await app()
      .http.post('/api/plans')
      .set(bearer())
      .send(samplePlan({ user_id: 778 }))
      .expect(201);
  });

  it('sends a 200-plan list as brotli or gzip, as the client prefers, from the cache or not', async () => {
    const miss = await get(LIST, { 'accept-encoding': 'gzip, deflate, br' });
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(miss.headers['content-encoding']).toBe('br');
    const plain = await get(LIST);
    expect(plain.headers['x-cache']).toBe('HIT');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(json(miss)).toEqual(JSON.parse(plain.body.toString('utf8')));
    expect((json(plain) as unknown[]).length).toBe(200);

    for (const [accepted, encoding] of [
      ['br, gzip', 'br'],
      ['gzip;q=1, br;q=0.5', 'gzip'],
      ['gzip', 'gzip'],
      ['*', 'br'],
      ['identity', undefined],
      ['deflate', undefined],
      ['br;q=0, gzip;q=0', undefined],
    ] as const) {
      const hit = await get(LIST, { 'accept-encoding': accepted });
      expect([accepted, hit.status, hit.headers['x-cache'], hit.headers['content-encoding']]).toEqual([
        accepted,
        200,
        'HIT',
        encoding,
      ]);
      expect(hit.headers.vary).toBe('Accept-Encoding');
      expect(decoded(hit.body, encoding).equals(plain.body)).toBe(true);
      expect(Number(hit.headers['content-length'])).toBe(hit.body.length);
    }
    const brotli = await get(LIST, { 'accept-encoding': 'br, gzip' });
    expect(brotli.body.length).toBeLessThanOrEqual(plain.body.length * 0.15);
  });

  it('tags each encoding apart, and revalidates each against its own tag', async () => {
    const plain = await get(LIST);
    const brotli = await get(LIST, { 'accept-encoding': 'br' });
    const gzip = await get(LIST, { 'accept-encoding': 'gzip' });
    const tag = plain.headers.etag!;
    expect(tag).toMatch(/^"[\w-]{27}"$/);
    expect(brotli.headers.etag).toBe(`${tag.slice(0, -1)}-br"`);
    expect(gzip.headers.etag).toBe(`${tag.slice(0, -1)}-gzip"`);

    const revalidated = await get(LIST, { 'accept-encoding': 'br', 'if-none-match': brotli.headers.etag! });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
    // A tag of another encoding is another representation: the list is sent.
    const other = await get(LIST, { 'accept-encoding': 'br', 'if-none-match': tag });
    expect(other.status).toBe(200);
    expect(other.headers['content-encoding']).toBe('br');
  });

  it('compresses a list again once a write changes it', async () => {
    const before = await get(LIST, { 'accept-encoding': 'br' });
    const plans = json(before) as { id: number }[];
    await app().http.patch(`/api/plans/${plans[0].id}`).set(bearer()).send({ price: '1234.50' }).expect(200);
    const after = await get(LIST, { 'accept-encoding': 'br' });
    expect(after.headers['content-encoding']).toBe('br');
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect((json(after) as { price: string }[]).find((plan) => plan.price === '1234.50')).toBeDefined();
  });

  it('leaves a small answer plain, without Vary', async () => {
    await get(SMALL_LIST);
    const small = await get(SMALL_LIST, { 'accept-encoding': 'br, gzip' });
    expect(small.headers['x-cache']).toBe('HIT');
    expect(small.body.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.headers.vary).toBeUndefined();
  });

  it('compresses a cached plan answer, keeping the policy’s Vary, and never a stream', async () => {
    const goal = JSON.stringify({ goal: 'Write a long onboarding handbook for new support engineers '.repeat(3) });
    const ask = (headers: Record<string, string>) =>
      rawRequest(app().url, '/api/chat/plan', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: goal,
      });
    const generated = await ask({ 'accept-encoding': 'br' });
    expect(generated.headers['x-cache']).toBe('MISS');
    const plain = await ask({});
    expect(plain.headers['x-cache']).toBe('HIT');
    expect(plain.body.length).toBeGreaterThan(1024);
    const brotli = await ask({ 'accept-encoding': 'br, gzip' });
    expect(brotli.headers['x-cache']).toBe('HIT');
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers.vary).toContain('Accept-Encoding');
    expect(brotli.headers.etag).toBe(`${plain.headers.etag!.slice(0, -1)}-br"`);
    expect(json(brotli)).toEqual(json(plain));

    const stream = await readSse(`${app().url}/api/chat/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'br, gzip' },
      body: goal,
    });
    expect(stream.headers.get('x-cache')).toBe('HIT');
    expect(stream.headers.get('content-encoding')).toBeNull();
  });
});
