import { createHash } from 'node:crypto';
import { countFastAnswers } from './support/fast-answers.js';
import { hs256Token, TEST_JWT_SECRET } from './support/jwks-server.js';
import { useOpenAiApp } from './support/openai-app.js';
import { chunksText, readSse } from './support/sse-client.js';

const keyOf = (material: string) => `plan:${createHash('sha256').update(material).digest('hex').slice(0, 16)}`;

/**
 * Goals that differ only in case, spaces and sentence punctuation (`!`, `?`, `...`, quotes around
 * the whole goal) are one goal: one planner call, one key, on every path that computes it; a mark
 * that is part of a word (`C++`, `C#`) still makes another goal.
 */
describe('Goals written with other punctuation', () => {
  const { app, openai } = useOpenAiApp({ AUTH_JWT_SECRET: TEST_JWT_SECRET });
  let fastAnswers: () => number;

  beforeAll(() => {
    fastAnswers = countFastAnswers(app());
  });

  /** `request`'s answer, and whether the fast path (before NestJS) made it. */
  const answered = async <T>(request: PromiseLike<T>) => {
    const before = fastAnswers();
    const answer = await request;
    return { answer, fast: fastAnswers() > before };
  };

  /** A token never seen before: the fast path cannot know its caller, so the route answers. */
  let readers = 0;
  const fullPath = async () => ({ authorization: `Bearer ${await hs256Token({ sub: `reader-${++readers}` })}` });

  it('answers "launch a  Billing API!" with the plan of "Launch a billing API", on both paths and streamed', async () => {
    const first = await app().http.post('/api/chat/plan').send({ goal: 'Launch a billing API' }).expect(200);
    expect(first.headers['x-cache']).toBe('MISS');
    // Version 2 of the key: a build of version 1 looks for this plan under another key.
    expect(first.body.key).toBe(keyOf('v2\0launch a billing api:'));
    expect(first.body.key).not.toBe(keyOf('launch a billing api:'));

    const fast = await answered(app().http.post('/api/chat/plan').send({ goal: 'launch a  Billing API!' }).expect(200));
    expect(fast.fast).toBe(true);
    expect(fast.answer.headers['x-cache']).toBe('HIT');
    expect(fast.answer.body).toMatchObject({ key: first.body.key, plan: openai.answer('Launch a billing API') });

    const full = await answered(
      app()
        .http.post('/api/chat/plan')
        .set(await fullPath())
        .send({ goal: '«Launch a billing API...»' })
        .expect(200),
    );
    expect(full.fast).toBe(false);
    expect(full.answer.headers['x-cache']).toBe('HIT');
    expect(full.answer.body).toMatchObject({ key: first.body.key, cached: true });

    const query = new URLSearchParams({ goal: '¿Launch a billing API?' }).toString();
    const streamed = await answered(readSse(`${app().url}/api/chat/stream?${query}`));
    expect(streamed.fast).toBe(true);
    expect(streamed.answer.headers.get('x-cache')).toBe('HIT');
    expect(chunksText(streamed.answer.events)).toBe(openai.answer('Launch a billing API'));
    expect(streamed.answer.events.at(-1)).toMatchObject({ event: 'done', data: { cached: true, source: 'l1' } });

    expect(openai.calls).toBe(1);
  });

  it('answers «запусти api биллинга» with the plan of «Запусти API биллинга!»', async () => {
    const first = await app().http.post('/api/chat/plan').send({ goal: '«Запусти API биллинга!»' }).expect(200);
    expect(first.headers['x-cache']).toBe('MISS');
    const again = await app().http.post('/api/chat/plan').send({ goal: 'запусти api биллинга' }).expect(200);
    expect(again.headers['x-cache']).toBe('HIT');
    expect(again.body.key).toBe(first.body.key);
    expect(openai.calls).toBe(1);
  });

  it('keeps "C++ service", "C# service" and "C service" apart, and finds "C++ service." under the first', async () => {
    const keys: string[] = [];
    for (const goal of ['C++ service', 'C# service', 'C service']) {
      const answer = await app().http.post('/api/chat/plan').send({ goal }).expect(200);
      expect([goal, answer.headers['x-cache']]).toEqual([goal, 'MISS']);
      expect(answer.body.plan).toBe(openai.answer(goal));
      keys.push(answer.body.key);
    }
    expect(new Set(keys).size).toBe(3);
    const sentence = await app().http.post('/api/chat/plan').send({ goal: 'C++ service.' }).expect(200);
    expect(sentence.headers['x-cache']).toBe('HIT');
    expect(sentence.body.key).toBe(keys[0]);
    expect(openai.calls).toBe(3);
  });
});
