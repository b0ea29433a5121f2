import type { IncomingHttpHeaders } from 'node:http';

/**
 * What an answer from memory reads of its request. Fastify's request is one; so is the front
 * door's (front-door.ts), which answers before Fastify makes one.
 */
export interface AnswerRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly query: unknown;
  /** The client's address, through the trusted proxies (TRUST_PROXY), as Fastify tells it. */
  readonly ip: string;
}

/** Where an answer's headers go before it is sent: Fastify's reply is one, the front door's list another. */
export interface AnswerHeaders {
  header(name: string, value: string): AnswerHeaders;
  getHeader(name: string): string | string[] | number | undefined;
  hasHeader(name: string): boolean;
}

/** An answer's headers as node:http's `writeHead` takes them; names in lower case, as Fastify keeps them. */
export class AnswerHeaderList implements AnswerHeaders {
  readonly values: Record<string, string> = {};

  header(name: string, value: string): this {
    this.values[name.toLowerCase()] = value;
    return this;
  }

  getHeader(name: string): string | undefined {
    return this.values[name.toLowerCase()];
  }

  hasHeader(name: string): boolean {
    return this.values[name.toLowerCase()] !== undefined;
  }

  remove(name: string): void {
    delete this.values[name.toLowerCase()];
  }
}
