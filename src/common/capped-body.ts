/** How much of an upstream's error answer is kept for the log: its message, not its bulk. */
export const ERROR_DETAIL_BYTES = 4 * 1024;

/** An upstream answered more bytes than the service reads of it: reading stopped and the connection closed. */
export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The answer is larger than ${maxBytes} bytes; it was not read further`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * The bytes of an upstream answer as they arrive, at most `maxBytes`. One byte more errors the
 * stream with {@link BodyTooLargeError} and cancels the body, which closes fetch's connection:
 * a runaway or hostile upstream costs the cap in memory, never its whole answer.
 */
export function cappedBody(response: Response, maxBytes: number): ReadableStream<Uint8Array> {
  let seen = 0;
  const body: ReadableStream<Uint8Array> = response.body ?? new Blob([]).stream();
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        // An errored transform makes the pipe cancel its source: the upstream is not read further.
        if (seen > maxBytes) controller.error(new BodyTooLargeError(maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/** The answer's text as it arrives (e.g. server-sent events), at most `maxBytes` of it. */
export function cappedText(response: Response, maxBytes: number): ReadableStream<string> {
  return cappedBody(response, maxBytes).pipeThrough(new TextDecoderStream());
}

/** The whole answer as text, when it is at most `maxBytes` long. */
export async function readCappedText(response: Response, maxBytes: number): Promise<string> {
  let text = '';
  for await (const part of cappedText(response, maxBytes)) text += part;
  return text;
}

/** The whole answer parsed as JSON (unknown: its reader checks its shape); SyntaxError when it is not JSON. */
export async function readCappedJson(response: Response, maxBytes: number): Promise<unknown> {
  return JSON.parse(await readCappedText(response, maxBytes)) as unknown;
}

/**
 * The start of an answer that is not read for its content (an error's detail, for the log): at
 * most `keptBytes`, marked with `…` when cut; the rest is left unread and the connection closed.
 */
export async function bodyStart(response: Response, keptBytes = ERROR_DETAIL_BYTES): Promise<string> {
  if (!response.body) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  let room = keptBytes;
  let cut = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      cut = value.byteLength > room;
      text += decoder.decode(cut ? value.subarray(0, room) : value, { stream: !cut });
      room -= value.byteLength;
      if (cut) break;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return cut ? `${text}…` : text + decoder.decode();
}

/** `fetch` whose answers' bodies are capped at `maxBytes`: for libraries that read answers themselves (jose's JWKS). */
export function cappedFetch(maxBytes: number): (url: string, init: RequestInit) => Promise<Response> {
  return async (url, init) => {
    const response = await fetch(url, init);
    if (!response.body) return response;
    const { status, statusText, headers } = response;
    return new Response(cappedBody(response, maxBytes), { status, statusText, headers });
  };
}
