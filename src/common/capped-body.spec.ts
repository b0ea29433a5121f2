import { BodyTooLargeError, bodyStart, readCappedJson, readCappedText } from './capped-body.js';

/** An endless answer of `chunk`s, counting what was pulled and whether it was cancelled. */
function endlessAnswer(chunk: string): { response: Response; pulled: () => number; cancelled: () => boolean } {
  const bytes = new TextEncoder().encode(chunk);
  let pulls = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulls++;
      controller.enqueue(bytes);
    },
    cancel() {
      cancelled = true;
    },
  });
  return { response: new Response(body), pulled: () => pulls * bytes.byteLength, cancelled: () => cancelled };
}

describe('capped upstream bodies', () => {
  it('reads an answer within the cap whole, multi-byte characters split across chunks included', async () => {
    const text = 'Шаг 1 — 计划 ✓';
    const bytes = new TextEncoder().encode(JSON.stringify({ text }));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 3) controller.enqueue(bytes.subarray(at, at + 3));
        controller.close();
      },
    });
    await expect(readCappedJson(new Response(body), bytes.length)).resolves.toEqual({ text });
  });

  it('stops an endless answer one chunk past the cap and cancels it', async () => {
    const endless = endlessAnswer('x'.repeat(1000));
    await expect(readCappedText(endless.response, 10_000)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(endless.cancelled()).toBe(true);
    // The stream's queue may hold a few chunks ahead of the reader, never the answer.
    expect(endless.pulled()).toBeLessThan(20_000);
  });

  it('keeps the first bytes of an endless error answer, marked as cut, and reads no further', async () => {
    const endless = endlessAnswer('{"error":{"message":"overloaded"}}'.padEnd(1000, ' '));
    const start = await bodyStart(endless.response, 100);
    expect(start).toBe(`${'{"error":{"message":"overloaded"}}'.padEnd(100, ' ')}…`);
    expect(endless.cancelled()).toBe(true);
    expect(endless.pulled()).toBeLessThan(10_000);
  });

  it('keeps a short error answer whole, unmarked', async () => {
    await expect(bodyStart(new Response('{"error":{"message":"bad key"}}'), 100)).resolves.toBe(
      '{"error":{"message":"bad key"}}',
    );
    await expect(bodyStart(new Response('exactly ten'), 11)).resolves.toBe('exactly ten');
    await expect(bodyStart(new Response(null), 100)).resolves.toBe('');
  });
});
