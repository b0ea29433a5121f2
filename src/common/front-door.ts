import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import proxyAddr from '@fastify/proxy-addr';
import { parse as parseQuery } from 'fast-querystring';
import type { FastifyContextConfig, FastifyServerOptions, RouteOptions } from 'fastify';
import { AnswerHeaderList, type AnswerHeaders, type AnswerRequest } from './answer-request.js';
import { notModified } from './conditional-get.js';
import { JSON_CONTENT_TYPE } from './media-types.js';

/** Answers a request from memory with its bytes (headers set on `headers`), or declines with undefined. */
export type MemoryAnswerer = (
  request: AnswerRequest,
  headers: AnswerHeaders,
  body: unknown,
  config: FastifyContextConfig,
) => Buffer | undefined;

/** Where the answerer plugs in once NestJS has made it (FastAnswers, in the cache engine). */
export interface FastAnswerSlot {
  answer?: MemoryAnswerer;
}

/** Headers every answer of the front door carries besides its own (CORS's, the shutdown's). */
export type FrontDoorHeaders = (request: AnswerRequest, headers: AnswerHeaders) => void;

/** Told of every answer of the front door (the HTTP metrics). */
export type FrontDoorObserver = (route: string, method: string, status: number, seconds: number) => void;

export interface FrontDoorOptions {
  bodyLimit: number;
  /** Fastify's `trustProxy` (TRUST_PROXY): the request's address is told as Fastify tells it. */
  trustProxy: false | string[] | ((address: string, hop: number) => boolean);
  /** The request id, as Fastify's `genReqId` makes it. */
  requestId: (raw: IncomingMessage) => string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The front door, when the instance was made with one (app.setup.ts). */
    frontDoor?: FrontDoor;
  }
}

const ASKED = Symbol('asked at the front door');
const BODY_READ_EARLY = Symbol('body read at the front door');
type MarkedRequest = IncomingMessage & { [ASKED]?: true; [BODY_READ_EARLY]?: Buffer };

/** A route the front door answers: its template (the metrics' label) and its config, as Fastify's context has it. */
interface AnsweredRoute {
  url: string;
  config: FastifyContextConfig;
}

const JSON_CONTENT = /^application\/json\s*(;|$)/i;
const ANSWERED_METHODS = new Set(['GET', 'POST']);

/**
 * Cached answers at node:http's request listener, before Fastify makes its request and reply:
 * a hit costs what node:http costs plus the lookup (docs/load.md, the gap ladder). It answers only
 * requests of routes marked for answers from memory (`config.fastAnswer`, recorded from Fastify's
 * `onRoute`) whose path is exactly the route's, and only what the answerer in the slot says;
 * everything else, and any request it cannot judge, goes on to Fastify untouched (a JSON body it
 * read goes on as bytes: {@link bodyReadEarly}). Its answers carry what Fastify's would: the
 * request id, `nosniff`, the headers of {@link withHeaders} (CORS, shutdown), a length, a 304 for
 * a matching `If-None-Match`, and they are counted by the {@link observe}rs (the HTTP metrics).
 */
export class FrontDoor {
  readonly #routes = new Map<string, Map<string, AnsweredRoute>>();
  readonly #headers: Record<'before' | 'after', FrontDoorHeaders[]> = { before: [], after: [] };
  readonly #observers: FrontDoorObserver[] = [];
  readonly #trust?: (address: string, hop: number) => boolean;
  readonly #warned = new WeakSet<AnsweredRoute>();
  readonly #logger = new Logger(FrontDoor.name);

  constructor(
    private readonly slot: FastAnswerSlot,
    private readonly options: FrontDoorOptions,
  ) {
    const { trustProxy } = options;
    if (trustProxy !== false)
      this.#trust = typeof trustProxy === 'function' ? trustProxy : proxyAddr.compile(trustProxy);
  }

  /** Fastify's `serverFactory`: the server Fastify would make, with the front door before Fastify's handler. */
  serverFactory(): NonNullable<FastifyServerOptions['serverFactory']> {
    return (handler, options: FastifyServerOptions & { http?: object }) => {
      const server: Server = createServer(options.http ?? {}, (raw, res) => this.#receive(raw, res, handler));
      server.keepAliveTimeout = options.keepAliveTimeout ?? server.keepAliveTimeout;
      server.requestTimeout = options.requestTimeout ?? server.requestTimeout;
      server.setTimeout(options.connectionTimeout ?? 0);
      return server;
    };
  }

  /** Fastify's `onRoute`: routes marked for answers from memory are remembered by path and method. */
  route(route: RouteOptions): void {
    const config = route.config;
    if (config?.fastAnswer === undefined) return;
    for (const method of [route.method].flat()) {
      if (!ANSWERED_METHODS.has(method)) continue;
      let byMethod = this.#routes.get(route.url);
      if (!byMethod) this.#routes.set(route.url, (byMethod = new Map<string, AnsweredRoute>()));
      byMethod.set(method, { url: route.url, config: { ...config, url: route.url, method } as FastifyContextConfig });
    }
  }

  /**
   * Headers every answer carries besides its own: `before` the answer is asked for (those it may
   * build on, as CORS's `Vary: Origin`, in the order the full path's hooks add them), or `after`
   * (those that override the answer's, as `Connection: close` while shutting down).
   */
  withHeaders(headers: FrontDoorHeaders, when: 'before' | 'after' = 'before'): void {
    this.#headers[when].push(headers);
  }

  observe(observer: FrontDoorObserver): void {
    this.#observers.push(observer);
  }

  #receive(raw: MarkedRequest, res: ServerResponse, next: (raw: IncomingMessage, res: ServerResponse) => void): void {
    const startedAt = performance.now();
    const url = raw.url ?? '';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const route = this.slot.answer && this.#routes.get(path)?.get(raw.method ?? '');
    // Anything Fastify's router would read differently (escapes, fragments) is Fastify's to route.
    if (route === undefined || path.includes('%') || path.includes('#')) return next(raw, res);
    const request = new FrontDoorRequest(raw, queryAt === -1 ? '' : url.slice(queryAt + 1), this.#trust);
    if (raw.method === 'GET') {
      raw[ASKED] = true;
      if (!this.#answer(request, res, route, undefined, startedAt)) next(raw, res);
      return;
    }
    if (!readableEarly(raw, this.options.bodyLimit)) return next(raw, res);
    raw[ASKED] = true;
    readBody(raw)
      .then((bytes) => {
        raw[BODY_READ_EARLY] = bytes;
        if (!this.#answer(request, res, route, parseJson(bytes), startedAt)) next(raw, res);
      })
      // The client left before its body was whole, or Fastify failed on a request it was handed.
      .catch(() => res.destroy());
  }

  /**
   * Sends the answer from memory and says true, or says false with nothing sent. Anything that
   * throws before the answer is sent declines it: the full path judges the request again and says
   * what is wrong (a source's fault is logged, once per route).
   */
  #answer(
    request: FrontDoorRequest,
    res: ServerResponse,
    route: AnsweredRoute,
    body: unknown,
    startedAt: number,
  ): boolean {
    let status: number;
    let bytes: Buffer | undefined;
    try {
      const headers = new AnswerHeaderList();
      for (const add of this.#headers.before) add(request, headers);
      bytes = this.slot.answer?.(request, headers, body, route.config);
      if (bytes === undefined) return false;
      for (const add of this.#headers.after) add(request, headers);
      headers.header('x-request-id', this.options.requestId(request.raw));
      headers.header('x-content-type-options', 'nosniff');
      if (!headers.hasHeader('content-type')) headers.header('content-type', JSON_CONTENT_TYPE);
      status = notModified(request, 200, headers.getHeader('etag')) ? 304 : 200;
      if (status === 304) headers.remove('content-type');
      else headers.header('content-length', String(bytes.length));
      res.writeHead(status, headers.values);
    } catch (error) {
      this.#warnOnce(route, error);
      return false;
    }
    res.end(status === 304 ? undefined : bytes);
    const seconds = (performance.now() - startedAt) / 1000;
    for (const observer of this.#observers) observer(route.url, request.method, status, seconds);
    return true;
  }

  #warnOnce(route: AnsweredRoute, error: unknown): void {
    if (this.#warned.has(route)) return;
    this.#warned.add(route);
    this.#logger.warn({
      msg: 'An answer from memory failed; the full path answers this route instead',
      route: route.url,
      err: (error as Error).message,
    });
  }
}

/** Whether the front door asked for an answer to this request already (then the hooks do not ask again). */
export function askedAtFrontDoor(raw: IncomingMessage): boolean {
  return (raw as MarkedRequest)[ASKED] === true;
}

/** The JSON body the front door read and did not answer: the parser takes these bytes. */
export function bodyReadEarly(raw: IncomingMessage): Buffer | undefined {
  return (raw as MarkedRequest)[BODY_READ_EARLY];
}

/** Marks a body read by a hook instead (an instance without a front door). */
export function keepBodyReadEarly(raw: IncomingMessage, bytes: Buffer): void {
  (raw as MarkedRequest)[BODY_READ_EARLY] = bytes;
}

/** The request as an answer reads it: the query parsed and the address told only when asked for. */
class FrontDoorRequest implements AnswerRequest {
  #query?: unknown;

  constructor(
    readonly raw: IncomingMessage,
    private readonly search: string,
    private readonly trust: ((address: string, hop: number) => boolean) | undefined,
  ) {}

  get method(): string {
    return this.raw.method ?? '';
  }

  get headers(): IncomingMessage['headers'] {
    return this.raw.headers;
  }

  get query(): unknown {
    // As Fastify's router gives it: a plain object when there is no query string.
    return (this.#query ??= this.search === '' ? {} : parseQuery(this.search));
  }

  /** As Fastify tells it: the socket's address, or the farthest trusted one of `X-Forwarded-For`. */
  get ip(): string {
    if (this.trust === undefined) return this.raw.socket.remoteAddress ?? '';
    const addresses = proxyAddr.all(this.raw, this.trust);
    return addresses[addresses.length - 1];
  }
}

/**
 * The whole body. A client that stalls is cut off by the server's request deadline
 * (HTTP_REQUEST_TIMEOUT_MS), which closes the request: that ends the read too.
 */
export function readBody(raw: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.once('end', () => resolve(Buffer.concat(chunks)));
    raw.once('error', reject);
    raw.once('close', () => {
      if (!raw.complete) reject(new Error('The client closed the request before its body was complete'));
    });
  });
}

/** The parsed body, or undefined when it is not JSON (the parser then says so, with a 400). */
export function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Whether a hook may read a request's JSON body before the parser: a POST of known length within the limit. */
export function readableEarly(raw: IncomingMessage, bodyLimit: number): boolean {
  const length = Number(raw.headers['content-length']);
  return (
    raw.method === 'POST' && length > 0 && length <= bodyLimit && JSON_CONTENT.test(raw.headers['content-type'] ?? '')
  );
}
