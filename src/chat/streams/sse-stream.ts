import type { ServerResponse } from 'node:http';

/** Headers that keep a stream flowing through browsers and proxies (nginx honours X-Accel-Buffering). */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'private, no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * A server-sent event stream on a raw Node response, readable by a browser `EventSource`.
 * Opens (status and headers) with its first event, so that a request refused before any work is
 * answered with a plain HTTP error instead. Sends a comment every `heartbeatMs` so that idle
 * proxies do not cut a long generation.
 */
export class SseStream {
  readonly #response: ServerResponse;
  readonly #heartbeatMs: number;
  #heartbeat?: NodeJS.Timeout;

  constructor(response: ServerResponse, heartbeatMs: number) {
    this.#response = response;
    this.#heartbeatMs = heartbeatMs;
  }

  /** Whether the stream's status and headers have been sent. */
  get started(): boolean {
    return this.#response.headersSent;
  }

  get open(): boolean {
    return !this.#response.writableEnded && !this.#response.destroyed;
  }

  /** Sends the status and headers now (the first event does it otherwise). */
  start(): void {
    if (this.started || !this.open) return;
    this.#response.writeHead(200, SSE_HEADERS);
    this.#response.flushHeaders();
    this.#heartbeat = setInterval(() => this.#write(': heartbeat\n\n'), this.#heartbeatMs);
    this.#heartbeat.unref();
    this.#response.once('close', () => clearInterval(this.#heartbeat));
  }

  send(event: string, data: unknown, retryMs?: number): void {
    this.#write(sseEvent(event, data, retryMs));
  }

  end(): void {
    clearInterval(this.#heartbeat);
    if (this.open) this.#response.end();
  }

  #write(text: string): void {
    this.start();
    if (this.open) this.#response.write(text);
  }
}

/** One server-sent event, as written on the wire; `retryMs` sets the client's reconnection delay. */
export function sseEvent(event: string, data: unknown, retryMs?: number): string {
  const retry = retryMs === undefined ? '' : `retry: ${retryMs}\n`;
  return `${retry}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** What a stream's answer varies on besides what CORS and the policy add: its step labels' language. */
export const STREAM_VARY = 'Accept-Language';
