import { useOpenAiApp } from './support/openai-app.js';
import { chunksText, readSse } from './support/sse-client.js';

describe('Graceful shutdown: open streams within the drain window', () => {
  // Room enough to finish; the stream past the window, told to reconnect, is in process.e2e-spec.ts.
  const { app, openai } = useOpenAiApp({ SHUTDOWN_DRAIN_MS: '10000', SHUTDOWN_DELAY_MS: '0' });

  it('lets a stream that started before the shutdown finish with done, and closes once it has', async () => {
    openai.latencyMs = 1_500;
    const goal = 'Finish streaming while the service drains';
    let generating!: () => void;
    const firstChunk = new Promise<void>((resolve) => (generating = resolve));
    const order: string[] = [];
    const stream = readSse(`${app().url}/api/chat/stream?${new URLSearchParams({ goal }).toString()}`, {}, (event) => {
      if (event.event === 'chunk') generating();
    }).then((result) => {
      order.push('stream ended');
      return result;
    });
    await firstChunk; // the plan is being written when the shutdown begins
    const closed = app()
      .close()
      .then(() => order.push('app closed'));
    const streamed = await stream;
    await closed;

    expect(streamed.events.at(-1)).toMatchObject({ event: 'done', data: { cached: false } });
    expect(streamed.events.some((event) => event.event === 'error')).toBe(false);
    expect(chunksText(streamed.events)).toBe(openai.answer(goal));
    expect(openai.completed).toBe(1);
    expect(order).toEqual(['stream ended', 'app closed']);
  });
});
