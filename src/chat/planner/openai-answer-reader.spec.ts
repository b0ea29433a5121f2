import { errorDetailOf, readAnswer } from './openai-answer-reader.js';
import { PlannerAnswerTooLargeError } from './planner.errors.js';

const LIMITS = { answerBytes: 1000, streamBytes: 5000 };

/** An answer that repeats `unit` after `head` for ever, and says whether it was cancelled. */
function endless(head: string, unit: string): { response: Response; cancelled: () => boolean } {
  const encoder = new TextEncoder();
  let cancelled = false;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(encoder.encode(started ? unit : head));
      started = true;
    },
    cancel() {
      cancelled = true;
    },
  });
  return { response: new Response(body), cancelled: () => cancelled };
}

const event = (content: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;

describe('reading an OpenAI-compatible answer', () => {
  it('reads a streamed answer within its limits, chunk by chunk', async () => {
    const chunks: string[] = [];
    const response = new Response(`${event('1. One')}${event('\n2. Two')}data: [DONE]\n\n`);
    const read = await readAnswer(response, true, LIMITS, (chunk) => chunks.push(chunk));
    expect(read).toMatchObject({ text: '1. One\n2. Two', truncated: false });
    expect(chunks).toEqual(['1. One', '\n2. Two']);
  });

  it.each([
    ['one line that never ends', 'data: {"choices":[{"delta":{"content":"', 'x'.repeat(100)],
    ['data lines without the blank line that ends their event', '', 'data: {}\n'],
    ['events without end, each small', '', event('x')],
    ['comments without end', '', ': keep-alive\n'],
  ])('stops a stream of %s, and cancels it', async (_, head, unit) => {
    const flood = endless(head, unit);
    await expect(readAnswer(flood.response, true, LIMITS)).rejects.toBeInstanceOf(PlannerAnswerTooLargeError);
    expect(flood.cancelled()).toBe(true);
  });

  it('stops a whole answer past its limit, and cancels it', async () => {
    const flood = endless('{"choices":[{"message":{"content":"', 'step ');
    await expect(readAnswer(flood.response, false, LIMITS)).rejects.toBeInstanceOf(PlannerAnswerTooLargeError);
    expect(flood.cancelled()).toBe(true);
  });

  it('keeps the message of an endless error answer from its first bytes', async () => {
    const flood = endless('{"error":{"message":"overloaded', ' again'.repeat(100));
    const detail = await errorDetailOf(flood.response);
    expect(detail.startsWith('{"error":{"message":"overloaded again')).toBe(true);
    expect(detail.length).toBeLessThanOrEqual(4 * 1024 + 1);
    expect(flood.cancelled()).toBe(true);
  });
});
