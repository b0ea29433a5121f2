import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { syntheticEmbedding } from './synthetic-embeddings.js';

interface CompletionRequest {
  model?: string;
  stream?: boolean;
  max_tokens?: number;
  stream_options?: { include_usage?: boolean };
  messages?: { role: string; content: string }[];
}

/**
 * A real HTTP server speaking the OpenAI chat-completions API, streamed and not, with switches
 * for latency, failures and hanging, and counters of what it was asked.
 */
export class FakeOpenAiServer {
  /** Completion requests received. */
  calls = 0;
  /** Requests whose client closed the connection before the answer was complete. */
  aborted = 0;
  /** Requests answered completely. */
  completed = 0;
  /** `GET /v1/models` requests (readiness probes). */
  modelCalls = 0;
  readonly requests: CompletionRequest[] = [];
  /** The W3C traceparent of each completion request, when it carried one. */
  readonly traceparents: string[] = [];
  /** Completion requests being answered now, and the most at once since the last reset. */
  inFlight = 0;
  maxInFlight = 0;
  /** The usage every answer reports (streamed: in a last chunk, when the request asks for it); null: none. */
  usage: { prompt_tokens: number; completion_tokens: number } | null = { ...DEFAULT_USAGE };
  /**
   * Count tokens as a real server does, and report them instead of `usage`: ASCII at 4 characters
   * a token and any other character at 2 of its UTF-8 bytes a token (a Cyrillic letter 1, a CJK
   * character 1.5, an emoji 2: at least what byte-level BPE vocabularies count), the prompt
   * rounded up per message, with 3 more a message and 3 to prime the reply; the answer never more
   * than the request's `max_tokens`.
   */
  countTokens = false;
  /** With `countTokens`: every answer writes as many tokens as `max_tokens` allows (an adversarial agent). */
  fillMaxTokens = false;
  /** With `countTokens`: the tokens (prompt and answer) of every answer this server wrote. */
  tokensCounted = 0;
  /** How long an answer takes in all (spread over the chunks when streaming). */
  latencyMs = 0;
  /** Answer every request with this HTTP error. */
  failWith?: { status: number; message: string };
  /** Accept requests and never answer them. */
  hang = false;
  /** Completions wait for this before answering: a test opens it once its clients are all waiting. */
  holdUntil?: Promise<void>;
  /** Answer 200 and close the connection halfway through the body (counted tokens are billed). */
  breakOff = false;
  /** `length` says the answer was cut at max_tokens, as a real server does. */
  finishReason: 'stop' | 'length' = 'stop';
  /** `POST /v1/embeddings` requests, and the number of inputs of each. */
  embeddingCalls = 0;
  readonly embeddingBatches: number[] = [];
  /** Answer embedding requests with this HTTP error. */
  failEmbeddingsWith?: number;
  /** How long an embeddings answer takes. */
  embeddingLatencyMs = 0;
  /** The embedding of a text (a deterministic model that knows a few synonyms). */
  embed: (text: string) => number[] = syntheticEmbedding;
  /** The text answered for a goal; tests replace it to see a plan replaced ({@link reset} restores it). */
  answer: (goal: string) => string = DEFAULT_ANSWER;

  readonly #server: Server;
  #url = '';

  constructor(private readonly apiKey: string) {
    this.#server = createServer((request, response) => void this.#handle(request, response));
  }

  /** The base URL to configure as PLANNER_BASE_URL. */
  get url(): string {
    return this.#url;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/v1`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Every switch and counter back to how the server started, the answer and the embeddings too. */
  reset(): void {
    Object.assign(this, {
      answer: DEFAULT_ANSWER,
      embed: syntheticEmbedding,
      calls: 0,
      modelCalls: 0,
      aborted: 0,
      completed: 0,
      latencyMs: 0,
      failWith: undefined,
      hang: false,
      breakOff: false,
      finishReason: 'stop',
      maxInFlight: 0,
      usage: { ...DEFAULT_USAGE },
      countTokens: false,
      fillMaxTokens: false,
      tokensCounted: 0,
      embeddingCalls: 0,
      failEmbeddingsWith: undefined,
      embeddingLatencyMs: 0,
      holdUntil: undefined,
    });
    this.requests.length = 0;
    this.embeddingBatches.length = 0;
    this.traceparents.length = 0;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.headers.authorization !== `Bearer ${this.apiKey}`) {
      return this.#error(response, 401, 'Incorrect API key provided');
    }
    if (request.method === 'GET' && request.url === '/v1/models') {
      this.modelCalls++;
      if (this.failWith) return this.#error(response, this.failWith.status, this.failWith.message);
      response.writeHead(200, { 'content-type': 'application/json' });
      return void response.end(JSON.stringify({ object: 'list', data: [{ id: 'test-model', object: 'model' }] }));
    }
    if (request.method === 'POST' && request.url === '/v1/embeddings') return this.#embeddings(request, response);
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      return this.#error(response, 404, 'Unknown route');
    }
    const body = JSON.parse(await readBody(request)) as CompletionRequest;
    this.calls++;
    this.requests.push(body);
    if (typeof request.headers.traceparent === 'string') this.traceparents.push(request.headers.traceparent);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let closed = false;
    response.on('close', () => {
      closed = true;
      this.inFlight--;
      if (!response.writableFinished) this.aborted++;
    });
    if (this.hang) return;
    if (this.holdUntil) await this.holdUntil;
    if (this.failWith) return this.#error(response, this.failWith.status, this.failWith.message);

    const goal = /^Goal: (.*)$/m.exec(body.messages?.find((m) => m.role === 'user')?.content ?? '')?.[1] ?? '';
    const { text, usage, finishReason } = this.#answerTo(body, goal);
    if (body.stream) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const pieces = text.match(/[\s\S]{1,12}/g) ?? [];
      for (const piece of pieces) {
        await delay(this.latencyMs / pieces.length);
        if (closed) return;
        response.write(
          `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: piece } }] })}\n\n`,
        );
      }
      const last = {
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta: {}, finish_reason: finishReason }],
      };
      const usageChunk =
        body.stream_options?.include_usage && usage
          ? `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [], usage })}\n\n`
          : '';
      response.end(`data: ${JSON.stringify(last)}\n\n${usageChunk}data: [DONE]\n\n`);
    } else {
      await delay(this.latencyMs);
      if (closed) return;
      response.writeHead(200, { 'content-type': 'application/json' });
      const answer = JSON.stringify({
        object: 'chat.completion',
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finishReason }],
        ...(usage && { usage }),
      });
      if (this.breakOff) {
        // The status and half the body reach the client first: an answer begun, then lost.
        response.write(answer.slice(0, answer.length / 2));
        await delay(50);
        return void response.destroy();
      }
      response.end(answer);
    }
    this.completed++;
  }

  /** The answer to a request, and the usage it reports. */
  #answerTo(
    body: CompletionRequest,
    goal: string,
  ): { text: string; usage: FakeOpenAiServer['usage']; finishReason: string } {
    if (!this.countTokens) return { text: this.answer(goal), usage: this.usage, finishReason: this.finishReason };
    const maxTokens = body.max_tokens ?? DEFAULT_MAX_TOKENS;
    let text = this.answer(goal);
    if (this.fillMaxTokens) text = text.padEnd(text.length + 4 * Math.max(0, maxTokens - tokensOf(text)), ' word');
    const cut = tokensOf(text) > maxTokens;
    while (tokensOf(text) > maxTokens) text = Array.from(text).slice(0, -1).join('');
    const messages = body.messages ?? [];
    const prompt = messages.reduce((sum, { content }) => sum + tokensOf(content) + 3, 3);
    const usage = { prompt_tokens: prompt, completion_tokens: tokensOf(text) };
    this.tokensCounted += usage.prompt_tokens + usage.completion_tokens;
    return { text, usage, finishReason: cut || this.fillMaxTokens ? 'length' : 'stop' };
  }

  async #embeddings(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = JSON.parse(await readBody(request)) as { model?: string; input?: string | string[] };
    const inputs = typeof body.input === 'string' ? [body.input] : (body.input ?? []);
    this.embeddingCalls++;
    this.embeddingBatches.push(inputs.length);
    await delay(this.embeddingLatencyMs);
    if (this.failEmbeddingsWith) return this.#error(response, this.failEmbeddingsWith, 'Embeddings are failing');
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        object: 'list',
        model: body.model,
        data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: this.embed(text) })),
        usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
      }),
    );
  }

  #error(response: ServerResponse, status: number, message: string): void {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message, type: 'test_error' } }));
  }
}

const DEFAULT_USAGE = { prompt_tokens: 120, completion_tokens: 80 };
/** The plan every goal gets unless a test says otherwise. */
export const DEFAULT_ANSWER = (goal: string): string => `Plan for ${goal}\n1. Define it\n2. Build it\n3. Ship it\n`;
const DEFAULT_MAX_TOKENS = 4096;

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return body;
}

/** A text's tokens as this server counts them: ASCII at 4 characters a token, other characters at 2 UTF-8 bytes a token. */
function tokensOf(text: string): number {
  const ascii = Array.from(text).filter((character) => character.charCodeAt(0) < 0x80).length;
  return Math.ceil(ascii / 4 + (Buffer.byteLength(text) - ascii) / 2);
}
