import type { IncomingMessage, ServerResponse } from 'node:http';
import { useOpenAiApp } from './support/openai-app.js';
import { chunksText, readSse } from './support/sse-client.js';

describe('Graceful shutdown: open streams within the drain window', () => {
  // Room enough to finish; the stream past the window, told to reconnect, is in process.e2e-spec.ts.
  const { app, openai } = useOpenAiApp({ SHUTDOWN_DRAIN_MS: '10000', SHUTDOWN_DELAY_MS: '0' });

  it('lets a stream that started before the shutdown finish with done, and closes once it has', async () => {
    openai.latencyMs = 1_500;
    const goal = 'Finish streaming while the service drains';
    const order: string[] = [];
    // The stream has ended when the service has handed its last byte to the OS ('finish'). The client
    // reads those bytes in this same process, sometimes only after close() resolved (measured: up to
    // ~100 ms after 'finish' on a loaded machine), so its reading says nothing of the service's order.
    const server = app().app.getHttpServer();
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (request.url?.startsWith('/api/chat/stream')) response.once('finish', () => order.push('stream ended'));
    });
    let generating!: () => void;
    const firstChunk = new Promise<void>((resolve) => (generating = resolve));
    const stream = readSse(`${app().url}/api/chat/stream?${new URLSearchParams({ goal }).toString()}`, {}, (event) => {
      if (event.event === 'chunk') generating();
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
