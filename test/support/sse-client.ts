import { createParser } from 'eventsource-parser';

export interface SseEvent {
  event: string;
  data: any;
}

export interface SseResult {
  status: number;
  headers: Headers;
  events: SseEvent[];
  raw: string;
}

/** Reads a whole event stream, as a browser's EventSource would receive it. */
export async function readSse(
  url: string,
  init: RequestInit = {},
  onEvent?: (event: SseEvent) => void,
): Promise<SseResult> {
  const response = await fetch(url, init);
  const events: SseEvent[] = [];
  let raw = '';
  const parser = createParser({
    onEvent(message) {
      const event = { event: message.event ?? 'message', data: JSON.parse(message.data) };
      events.push(event);
      onEvent?.(event);
    },
  });
  if (response.body) {
    for await (const part of response.body.pipeThrough(new TextDecoderStream())) {
      raw += part;
      parser.feed(part);
    }
  }
  return { status: response.status, headers: response.headers, events, raw };
}

export const chunksText = (events: SseEvent[]): string =>
  events
    .filter((e) => e.event === 'chunk')
    .map((e) => e.data.text as string)
    .join('');
