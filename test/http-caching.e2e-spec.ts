import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { strongEtag } from '../src/common/entity-tag.js';
import { openPage, useBrowser } from './support/browser.js';
import { eventually } from './support/eventually.js';
import { useOpenAiApp } from './support/openai-app.js';
import { useInstancesOnRedis } from './support/instances.js';
import { metricValue } from './support/metrics-text.js';
import { askPlan } from './support/plan-requests.js';
import { samplePlan } from './support/sample-plan.js';
import { describeWith, CHROMIUM, CURL, POSTGRES, REDIS } from './support/services.js';
import { chunksText, readSse } from './support/sse-client.js';
import { bearer, useTestApp, type TestApp } from './support/test-app.js';

const STRONG_ETAG = /^"[\w-]{27}"$/;
const PUBLIC = 'public, max-age=5, stale-while-revalidate=30';

describe('HTTP caching of billing plans', () => {
  const app = useTestApp({ PLANS_CACHE_WARM: 'false' });

  it('tags a list with a strong ETag of its bytes, the same on every read, from the cache or not', async () => {
    const miss = await app().http.get('/api/plans?connection_type=hotspot').expect(200);
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(miss.headers.etag).toMatch(STRONG_ETAG);
    expect(miss.headers.etag).toBe(strongEtag(miss.text));
    expect(miss.headers['cache-control']).toBe(PUBLIC);
    expect(miss.headers.age).toBeUndefined();
    const hit = await app().http.get('/api/plans?connection_type=hotspot').expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers.etag).toBe(miss.headers.etag);
    expect(hit.headers['cache-control']).toBe(PUBLIC);
  });

  it('answers 304 with no body to an If-None-Match that matches, from memory or not', async () => {
    const { headers } = await app().http.get('/api/plans?connection_type=pppoe').expect(200);
    for (const ifNoneMatch of [headers.etag, `W/${headers.etag}`, `"other", ${headers.etag}`, '*']) {
      const answer = await app().http.get('/api/plans?connection_type=pppoe').set('if-none-match', ifNoneMatch);
      expect(answer.status).toBe(304);
      expect(answer.text).toBe('');
      expect(answer.headers.etag).toBe(headers.etag);
      expect(answer.headers['cache-control']).toBe(PUBLIC);
      expect(answer.headers['content-type']).toBeUndefined();
    }
    // After a clear, the list is loaded again (a miss), and still matches.
    await app().http.post('/api/plan-cache/clear?namespace=plans').set(bearer()).expect(200);
    const reloaded = await app().http.get('/api/plans?connection_type=pppoe').set('if-none-match', headers.etag);
    expect(reloaded.status).toBe(304);
    expect(reloaded.headers['x-cache']).toBe('MISS');
    await app().http.get('/api/plans?connection_type=pppoe').set('if-none-match', '"something else"').expect(200);
  });

  it('changes the ETag when a write changes the list; the old tag then gets the new list', async () => {
    const before = await app().http.get('/api/plans?connection_type=dhcp').expect(200);
    const { body: created } = await app()
      .http.post('/api/plans')
      .set(bearer())
      .send(samplePlan({ connection_type: 'dhcp' }))
      .expect(201);
    const after = await app().http.get('/api/plans?connection_type=dhcp').set('if-none-match', before.headers.etag);
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.body.map((plan: { id: number }) => plan.id)).toContain(created.id);
  });

  it('tags a single plan too, and its tag changes with the plan', async () => {
    const first = await app().http.get('/api/plans/2').expect(200);
    expect(first.headers.etag).toBe(strongEtag(first.text));
    expect(first.headers['cache-control']).toBe(PUBLIC);
    await app().http.get('/api/plans/2').set('if-none-match', first.headers.etag).expect(304);
    await app().http.patch('/api/plans/2').set(bearer()).send({ name: 'Hotspot Week+' }).expect(200);
    const changed = await app().http.get('/api/plans/2').set('if-none-match', first.headers.etag).expect(200);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
    expect(changed.body.name).toBe('Hotspot Week+');
  });

  it('marks admin and mutation answers, refusals included, no-store', async () => {
    const answers = [
      await app().http.get('/api/plan-cache/stats').set(bearer()).expect(200),
      await app().http.get('/api/plan-cache/stats').expect(401),
      await app().http.post('/api/plans').set(bearer('wrong')).send(samplePlan()).expect(403),
      await app().http.post('/api/plans').set(bearer()).send(samplePlan()).expect(201),
      await app().http.post('/api/plan-cache/clear').set(bearer()).expect(200),
    ];
    for (const answer of answers) expect(answer.headers['cache-control']).toBe('no-store');
  });
});

describeWith(CURL)('HTTP caching with curl', () => {
  const app = useTestApp({ PLANS_CACHE_WARM: 'false' });

  it('lets curl revalidate a list: 304 for the tag it has', async () => {
    // curl asks for no encoding: the tag of the plain list (each encoding has its own).
    const { headers } = await app().http.get('/api/plans').set('accept-encoding', 'identity').expect(200);
    // Asynchronously: the service answering curl runs in this process.
    const curl = await promisify(execFile)('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-H',
      `If-None-Match: ${headers.etag}`,
      `${app().url}/api/plans`,
    ]);
    expect(curl.stdout).toBe('304');
  });
});

describe('HTTP caching settings', () => {
  const app = useTestApp({ PLANS_CACHE_WARM: 'false', HTTP_MAX_AGE: '60', HTTP_STALE_WHILE_REVALIDATE: '0' });

  it('takes max-age and stale-while-revalidate from HTTP_MAX_AGE and HTTP_STALE_WHILE_REVALIDATE', async () => {
    const { headers } = await app().http.get('/api/plans').expect(200);
    expect(headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=0');
  });
});

describe('Per-request cache directives for task plans', () => {
  const { app, openai } = useOpenAiApp();
  let goals = 0;
  const uniqueGoal = (label: string) => `Directive ${label} ${++goals}`;
  const replaceAnswer = (text: (goal: string) => string) => {
    const original = openai.answer;
    openai.answer = text;
    return () => (openai.answer = original);
  };

  it('tags a plan with a weak ETag, the same from the planner and from the cache, and in the stream', async () => {
    const goal = uniqueGoal('etag');
    const miss = await askPlan(app(), goal).expect(200);
    const hit = await askPlan(app(), goal).expect(200);
    expect(miss.headers.etag).toMatch(/^W\/"[\w-]{27}"$/);
    expect(hit.headers.etag).toBe(miss.headers.etag);
    expect(miss.headers['cache-control']).toBe('private');
    expect(hit.headers['cache-control']).toBe('private');
    const stream = await readSse(`${app().url}/api/chat/stream?goal=${encodeURIComponent(goal)}`);
    expect(stream.events.at(-1)?.data.etag).toBe(miss.headers.etag);
    const restore = replaceAnswer((g) => `Another plan for ${g}\n`);
    try {
      const regenerated = await askPlan(app(), goal, { 'cache-control': 'no-cache' }).expect(200);
      expect(regenerated.headers.etag).not.toBe(miss.headers.etag);
    } finally {
      restore();
    }
  });

  it('no-store: generates without reading or writing the cache', async () => {
    const goal = uniqueGoal('no-store');
    expect((await askPlan(app(), goal, { 'cache-control': 'no-store' }).expect(200)).headers['x-cache']).toBe('MISS');
    expect((await askPlan(app(), goal).expect(200)).headers['x-cache']).toBe('MISS');
    expect(openai.calls).toBe(2);
    const restore = replaceAnswer((g) => `Private plan for ${g}\n`);
    try {
      const fresh = await askPlan(app(), goal, { 'cache-control': 'no-store' }).expect(200);
      expect(fresh.body.plan).toBe(`Private plan for ${goal}\n`);
      expect(openai.calls).toBe(3);
    } finally {
      restore();
    }
    const cached = await askPlan(app(), goal).expect(200);
    expect(cached.headers['x-cache']).toBe('HIT');
    expect(cached.body.plan).toBe(openai.answer(goal));
    expect(openai.calls).toBe(3);
  });

  it('max-age=N: takes a cached plan only if it is at most N seconds old, else regenerates and replaces it', async () => {
    const goal = uniqueGoal('max-age');
    await askPlan(app(), goal).expect(200);
    expect((await askPlan(app(), goal, { 'cache-control': 'max-age=3600' }).expect(200)).headers['x-cache']).toBe(
      'HIT',
    );
    expect(openai.calls).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const restore = replaceAnswer((g) => `Younger plan for ${g}\n`);
    try {
      // Replacing the shared plan is for authenticated callers (here the operator's token).
      const younger = await askPlan(app(), goal, { 'cache-control': 'max-age=1' }).set(bearer()).expect(200);
      expect(younger.headers['x-cache']).toBe('MISS');
      expect(openai.calls).toBe(2);
      const next = await askPlan(app(), goal).expect(200);
      expect(next.headers['x-cache']).toBe('HIT');
      expect(next.body.plan).toBe(`Younger plan for ${goal}\n`);
    } finally {
      restore();
    }
  });

  it('only-if-cached: the cached plan, or 504 without calling the planner, for JSON and streams', async () => {
    const cached = uniqueGoal('cached');
    await askPlan(app(), cached).expect(200);
    expect((await askPlan(app(), cached, { 'cache-control': 'only-if-cached' }).expect(200)).headers['x-cache']).toBe(
      'HIT',
    );
    const absent = uniqueGoal('absent');
    const { body } = await askPlan(app(), absent, { 'cache-control': 'only-if-cached' }).expect(504);
    expect(body).toEqual({
      statusCode: 504,
      error: 'Gateway Timeout',
      message: 'The plan is not in the cache, and only-if-cached forbids generating it',
      request_id: expect.any(String),
    });
    const stream = await readSse(
      `${app().url}/api/chat/stream?goal=${encodeURIComponent(absent)}&cache_control=only-if-cached`,
    );
    expect(stream.events).toEqual([
      {
        event: 'error',
        data: {
          code: 'not_cached',
          message: 'The plan is not in the cache, and only-if-cached forbids generating it',
          request_id: stream.headers.get('x-request-id'),
        },
      },
    ]);
    expect(openai.calls).toBe(1);
  });

  it('takes the directives from the body cache object too, and refuses a body that disagrees with the header', async () => {
    const goal = uniqueGoal('body');
    await askPlan(app(), goal).expect(200);
    expect((await askPlan(app(), { goal, cache: { max_age: 0 } }).expect(200)).headers['x-cache']).toBe('MISS');
    expect(
      (await askPlan(app(), { goal, cache: { no_store: true } }, { 'cache-control': 'no-store' }).expect(200)).headers[
        'x-cache'
      ],
    ).toBe('MISS');
    expect(openai.calls).toBe(3);
    const disagree = await askPlan(
      app(),
      { goal, cache: { only_if_cached: true } },
      { 'cache-control': 'no-cache' },
    ).expect(400);
    expect(disagree.body.message).toBe(
      "The Cache-Control header (no-cache) and the body's cache (only-if-cached) disagree: send the directives once, or the same in both",
    );
    const stream = await readSse(`${app().url}/api/chat/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ goal, cache: { max_age: 0 } }),
    });
    expect(stream.events[0].data.code).toBe('generating_plan');
    expect(chunksText(stream.events)).toBe(openai.answer(goal));
    expect(openai.calls).toBe(4);
  });

  it.each([
    [{ cache: { max_age: -1 } }, 'cache.max_age must not be negative'],
    [{ cache: { no_cache: 'yes' } }, 'cache.no_cache must be true or false'],
    [{ cache: 'no-cache' }, 'cache must be an object such as {"no_cache": true}'],
    [{ cache: { stale: true } }, 'property stale should not exist'],
  ])('refuses the body %j with 400', async (body, message) => {
    const answer = await askPlan(app(), { goal: uniqueGoal('bad body'), ...body }).expect(400);
    expect(answer.body.message).toContain(message);
    expect(openai.calls).toBe(0);
  });

  it('ignores malformed and unknown directives, as RFC 9111 says: never a 500', async () => {
    const goal = uniqueGoal('malformed');
    await askPlan(app(), goal).expect(200);
    for (const header of [
      'max-age=soon',
      'max-age=-1',
      'max-age=1.5',
      ',,,',
      'x-custom=1',
      'max-age="3600"',
      'private',
    ]) {
      const answer = await askPlan(app(), goal, { 'cache-control': header }).expect(200);
      expect(answer.headers['x-cache']).toBe('HIT');
    }
    expect(openai.calls).toBe(1);
  });
});

describeWith(REDIS, POSTGRES)('Entity tags across instances', () => {
  const { apps } = useInstancesOnRedis({ redis: 'shared', postgres: true });

  it('gives the same list the same tag on every instance, and a new one everywhere after a write', async () => {
    const [a, b] = apps();
    const tagOf = async (app: TestApp) => (await app.http.get('/api/plans?user_id=1').expect(200)).headers.etag;
    const before = await tagOf(a);
    expect(await tagOf(b)).toBe(before);
    await b.http.get('/api/plans?user_id=1').set('if-none-match', before).expect(304);
    await a.http.patch('/api/plans/1').set(bearer()).send({ price: '2.49' }).expect(200);
    const after = await tagOf(a);
    expect(after).not.toBe(before);
    await eventually(async () => (await tagOf(b)) === after, 5000, 'the new tag on the other instance');
  });
});

describeWith(CHROMIUM)('HTTP caching in a browser', () => {
  const app = useTestApp({ PLANS_CACHE_WARM: 'false' });
  const browser = useBrowser();

  const answered304 = () =>
    metricValue(app(), 'http_request_duration_seconds_count', { route: '/api/plans', status_code: '304' });

  it("revalidates with the ETag in fetch: the service answers 304 and the page gets the browser's copy", async () => {
    const { context, page, problems } = await openPage(browser());
    try {
      await page.goto(`${app().url}/`);
      const before = await answered304();
      const result = await page.evaluate(`(async () => {
        const first = await fetch('/api/plans');
        const firstBody = await first.text();
        const again = await fetch('/api/plans', { cache: 'no-cache' });
        return { status: again.status, same: (await again.text()) === firstBody, etag: again.headers.get('etag') };
      })()`);
      // A browser accepts brotli: the tag of the brotli representation, the plain one's plus "-br".
      expect(result).toEqual({ status: 200, same: true, etag: expect.stringMatching(/^"[\w-]{27}-br"$/) });
      expect(await answered304()).toBe(before + 1);
      expect(problems.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

/** RFC 9111 §4.2: whether a shared cache that stores the answer now may serve it without asking. */
function freshDownstream(headers: Record<string, string>): { lifetime: number; age: number; fresh: boolean } {
  const lifetime = Number(/max-age=(\d+)/.exec(headers['cache-control'] ?? '')?.[1] ?? 0);
  const age = Number(headers.age ?? 0);
  return { lifetime, age, fresh: /\bpublic\b/.test(headers['cache-control'] ?? '') && lifetime > age };
}

describe('HTTP caching of billing plans for shared caches downstream', () => {
  const app = useTestApp({ PLANS_CACHE_WARM: 'false', HTTP_MAX_AGE: '1', HTTP_STALE_WHILE_REVALIDATE: '0' });

  it('sends a list cached for longer than max-age as storable and fresh for its whole max-age', async () => {
    await app().http.get('/api/plans?connection_type=static').expect(200);
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // the cached list is now older than max-age
    const hit = await app().http.get('/api/plans?connection_type=static').expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(freshDownstream(hit.headers)).toEqual({ lifetime: 1, age: 0, fresh: true });
  });
});
