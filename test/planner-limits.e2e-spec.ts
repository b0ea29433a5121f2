import { useOpenAiApp } from './support/openai-app.js';
import { eventually } from './support/eventually.js';
import { askPlan, cachedSource } from './support/plan-requests.js';
import { chunksText, readSse } from './support/sse-client.js';
import { DEFAULT_ANSWER } from './support/fake-openai-server.js';

const MAX_PLAN_CHARS = 500;

describe('Bounds on what the planner may answer', () => {
  const { app, openai } = useOpenAiApp({
    PLANNER_MAX_PLAN_CHARS: String(MAX_PLAN_CHARS),
    PLANNER_MAX_TOKENS: '321',
  });
  const longAnswer = (goal: string) => `Plan for ${goal}\n${'1. Do one more thing\n'.repeat(200)}`;

  it('asks OpenAI-compatible servers for at most PLANNER_MAX_TOKENS tokens', async () => {
    await askPlan(app(), 'bounded tokens').expect(200);
    expect(openai.requests.at(-1)?.max_tokens).toBe(321);
  });

  it('answers a plan the server cut at max_tokens as truncated, and never caches it', async () => {
    openai.finishReason = 'length';
    const first = await askPlan(app(), 'cut by the server').expect(200);
    expect(first.body).toMatchObject({ cached: false, truncated: true });
    openai.finishReason = 'stop';
    const second = await askPlan(app(), 'cut by the server').expect(200);
    expect(second.body).toMatchObject({ cached: false, truncated: false });
    expect(openai.calls).toBe(2);
  });

  it('streams a plan the server cut at max_tokens as truncated, and never caches it: the next request is a miss', async () => {
    openai.finishReason = 'length';
    const goal = 'streamed and cut by the server';
    const stream = await readSse(`${app().url}/api/chat/stream?${new URLSearchParams({ goal }).toString()}`);
    expect(chunksText(stream.events)).toBe(openai.answer(goal));
    expect(stream.events.at(-1)).toMatchObject({ event: 'done', data: { cached: false, truncated: true } });
    expect(await cachedSource(app(), goal)).toBe('status 504');
    openai.finishReason = 'stop';
    const next = await askPlan(app(), goal).expect(200);
    expect(next.headers['x-cache']).toBe('MISS');
    expect(next.body).toMatchObject({ cached: false, truncated: false });
    expect(openai.calls).toBe(2);
  });

  it('cuts a runaway plan at PLANNER_MAX_PLAN_CHARS, stops the planner, and does not cache it', async () => {
    openai.answer = longAnswer;
    try {
      const stream = await readSse(`${app().url}/api/chat/stream?goal=runaway`);
      expect(chunksText(stream.events)).toHaveLength(MAX_PLAN_CHARS);
      expect(stream.events.at(-1)).toMatchObject({ event: 'done', data: { cached: false, truncated: true } });
      await eventually(() => openai.aborted === 1, 3_000, 'the planner call stopped');
      const again = await askPlan(app(), 'runaway').expect(200);
      expect(again.body.plan).toHaveLength(MAX_PLAN_CHARS);
      expect(again.body).toMatchObject({ cached: false, truncated: true });
      expect(openai.calls).toBe(2);
    } finally {
      openai.answer = DEFAULT_ANSWER;
    }
  });

  it('answers whole plans within the bounds as they are, and caches them', async () => {
    await askPlan(app(), 'small and whole').expect(200);
    const hit = await askPlan(app(), 'small and whole').expect(200);
    expect(hit.body).toMatchObject({ cached: true, truncated: false });
  });
});
