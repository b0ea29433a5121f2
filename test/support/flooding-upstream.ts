import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An answer: `head`, then `fillerBytes` of `unit` repeated, then `tail` (a runaway body has no tail worth waiting for). */
export interface UpstreamAnswer {
  status: number;
  contentType: string;
  head: string;
  filler?: { unit: string; bytes: number };
  tail?: string;
}

/** What one request was sent before its client let go. */
export interface AnswerRecord {
  path: string;
  /** Bytes the server's socket wrote: what actually left for the client. */
  bytesWritten: number;
  /** The client closed the connection before the answer was complete. */
  closedEarly: boolean;
}

const PIECE_BYTES = 64 * 1024;

/**
 * A real HTTP server answering each path as told, huge bodies included: written piece by piece
 * as the client reads (backpressure), so that it sends only what the client takes, and records
 * for each request how many bytes left and whether the client hung up early.
 */
export class FloodingUpstream {
  readonly records: AnswerRecord[] = [];
  readonly #answers = new Map<string, UpstreamAnswer>();
  readonly #server: Server;
  #origin = '';

  constructor() {
    this.#server = createServer((request, response) => void this.#answer(request, response));
  }

  /** `http://127.0.0.1:<port>`. */
  get origin(): string {
    return this.#origin;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** From now on, requests for `path` get `answer`. */
  answer(path: string, answer: UpstreamAnswer): void {
    this.#answers.set(path, answer);
  }

  /** The records of the requests for `path`, completed or cut. */
  recordsOf(path: string): AnswerRecord[] {
    return this.records.filter((record) => record.path === path);
  }

  async #answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    for await (const _ of request); // the request body is not looked at
    const path = new URL(request.url ?? '/', 'http://upstream').pathname;
    const answer = this.#answers.get(path) ?? { status: 404, contentType: 'text/plain', head: 'not found' };
    const socket = response.socket!;
    const writtenBefore = socket.bytesWritten; // a kept-alive connection carried earlier answers
    let closed = false;
    response.once('close', () => {
      closed = true;
      const bytesWritten = socket.bytesWritten - writtenBefore;
      this.records.push({ path, bytesWritten, closedEarly: !response.writableFinished });
    });
    response.writeHead(answer.status, { 'content-type': answer.contentType });
    response.write(answer.head);
    const filler = answer.filler;
    if (filler) {
      const piece = Buffer.from(filler.unit.repeat(Math.ceil(PIECE_BYTES / filler.unit.length)));
      for (let sent = 0; sent < filler.bytes && !closed; sent += piece.byteLength) {
        if (!response.write(piece)) await drainedOrClosed(response);
      }
    }
    if (!closed) response.end(answer.tail ?? '');
  }
}

function drainedOrClosed(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
