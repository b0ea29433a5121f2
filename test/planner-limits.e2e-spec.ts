import { useOpenAiApp } from './support/openai-app.js';
import { eventually } from './support/eventually.js';
import { chunksText, readSse } from './support/sse-client.js';

const MAX_PLAN_CHARS = 500;

describe('Bounds on what the planner may answer', () => {
  const { app, openai } = useOpenAiApp({
    PLANNER_MAX_PLAN_CHARS: String(MAX_PLAN_CHARS),
    PLANNER_MAX_TOKENS: '321',
  });
  const longAnswer = (goal: string) => `Plan for ${goal}\n${'1. Do one more thing\n'.repeat(200)}`;

  it('asks OpenAI-compatible servers for at most PLANNER_MAX_TOKENS tokens', async () => {
    await app().http.post('/api/chat/plan').send({ goal: 'bounded tokens' }).expect(200);
    expect(openai.requests.at(-1)?.max_tokens).toBe(321);
  });

  it('answers a plan the server cut at max_tokens as truncated, and never caches it', async () => {
    openai.finishReason = 'length';
    const first = await app().http.post('/api/chat/plan').send({ goal: 'cut by the server' }).expect(200);
    expect(first.body).toMatchObject({ cached: false, truncated: true });
    openai.finishReason = 'stop';
    const second = await app().http.post('/api/chat/plan').send({ goal: 'cut by the server' }).expect(200);
    expect(second.body).toMatchObject({ cached: false, truncated: false });
    expect(openai.calls).toBe(2);
  });

  it('cuts a runaway plan at PLANNER_MAX_PLAN_CHARS, stops the planner, and does not cache it', async () => {
    openai.answer = longAnswer;
    try {
      const stream = await readSse(`${app().url}/api/chat/stream?goal=runaway`);
      expect(chunksText(stream.events)).toHaveLength(MAX_PLAN_CHARS);
      expect(stream.events.at(-1)).toMatchObject({ event: 'done', data: { cached: false, truncated: true } });
      await eventually(() => openai.aborted === 1, 3_000, 'the planner call stopped');
      const again = await app().http.post('/api/chat/plan').send({ goal: 'runaway' }).expect(200);
      expect(again.body.plan).toHaveLength(MAX_PLAN_CHARS);
      expect(again.body).toMatchObject({ cached: false, truncated: true });
      expect(openai.calls).toBe(2);
    } finally {
      openai.answer = (goal) => `Plan for ${goal}\n1. Define it\n2. Build it\n3. Ship it\n`;
    }
  });

  it('answers whole plans within the bounds as they are, and caches them', async () => {
    await app().http.post('/api/chat/plan').send({ goal: 'small and whole' }).expect(200);
    const hit = await app().http.post('/api/chat/plan').send({ goal: 'small and whole' }).expect(200);
    expect(hit.body).toMatchObject({ cached: true, truncated: false });
  });
});
