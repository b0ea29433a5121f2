import type { ServerResponse } from 'node:http';

/** Headers that keep a stream flowing through browsers and proxies (nginx honours X-Accel-Buffering). */
const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'private, no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * A server-sent event stream on a raw Node response, readable by a browser `EventSource`.
 * Sends a comment every `heartbeatMs` so that idle proxies do not cut a long generation.
 */
export class SseStream {
  readonly #response: ServerResponse;
  readonly #heartbeat: NodeJS.Timeout;

  constructor(response: ServerResponse, heartbeatMs: number) {
    this.#response = response;
    response.writeHead(200, SSE_HEADERS);
    response.flushHeaders();
    this.#heartbeat = setInterval(() => this.#write(': heartbeat\n\n'), heartbeatMs);
    this.#heartbeat.unref();
    response.once('close', () => clearInterval(this.#heartbeat));
  }

  get open(): boolean {
    return !this.#response.writableEnded && !this.#response.destroyed;
  }

  send(event: string, data: unknown): void {
    this.#write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  end(): void {
    clearInterval(this.#heartbeat);
    if (this.open) this.#response.end();
  }

  #write(text: string): void {
    if (this.open) this.#response.write(text);
  }
}
