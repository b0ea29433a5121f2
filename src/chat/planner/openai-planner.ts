import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { Planner, PlannerCallOptions, PlannerRequest } from './planner.js';
import { PlannerUnavailableError } from './planner.errors.js';

export interface OpenAiPlannerSettings {
  /** e.g. `https://api.openai.com/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  apiKey?: string;
  model: string;
}

interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

interface CompletionChunk {
  choices?: { delta?: { content?: string | null }; message?: { content?: string | null } }[];
  error?: { message?: string };
}

const PLAN_INSTRUCTIONS =
  'You are a planning assistant. Answer with a numbered, step-by-step plan that reaches the goal, ' +
  'taking the project context into account. Write in the language of the goal. No preamble.';
const CHAT_INSTRUCTIONS =
  'You are a planning assistant. Answer the user briefly and helpfully, in the language they write in.';
const MAX_DETAIL = 300;

/**
 * Any OpenAI-compatible chat-completions server, through `fetch`: streamed (`stream: true`, read
 * as server-sent events) or whole. Failures and non-2xx answers become PlannerUnavailableError;
 * the caller's signal cancels the HTTP request.
 */
export class OpenAiPlanner implements Planner {
  readonly provider = 'openai';
  readonly #endpoint: string;

  constructor(private readonly settings: OpenAiPlannerSettings) {
    this.#endpoint = `${settings.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  plan(request: PlannerRequest, options: PlannerCallOptions): Promise<string> {
    return this.#complete(messagesFor(PLAN_INSTRUCTIONS, request), options);
  }

  reply(request: PlannerRequest, options: PlannerCallOptions): Promise<string> {
    return this.#complete(messagesFor(CHAT_INSTRUCTIONS, request), options);
  }

  async #complete(messages: ChatMessage[], { signal, onChunk, stream }: PlannerCallOptions): Promise<string> {
    const response = await this.#post({ model: this.settings.model, messages, stream }, signal);
    if (!response.ok) {
      throw new PlannerUnavailableError(`The planner answered HTTP ${response.status}: ${await detailOf(response)}`);
    }
    const text = await guard(signal, () => (stream ? readStream(response, onChunk) : readWhole(response, onChunk)));
    if (text.trim().length === 0) throw new PlannerUnavailableError('The planner answered an empty text');
    return text;
  }

  async #post(body: object, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.settings.apiKey) headers.authorization = `Bearer ${this.settings.apiKey}`;
    return guard(signal, () =>
      fetch(this.#endpoint, { method: 'POST', headers, body: JSON.stringify(body), signal }).catch((error: unknown) => {
        throw new PlannerUnavailableError(`The planner could not be reached: ${causeOf(error)}`);
      }),
    );
  }
}

function messagesFor(instructions: string, request: PlannerRequest): ChatMessage[] {
  const context = request.projectContext?.trim() ? `\n\nProject context:\n${request.projectContext}` : '';
  return [
    { role: 'system', content: instructions },
    { role: 'user', content: `Goal: ${request.goal}${context}` },
  ];
}

/** Runs `work`; when the signal has aborted, its reason wins over whatever `work` threw. */
async function guard<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (error instanceof PlannerUnavailableError) throw error;
    throw new PlannerUnavailableError(`The planner's answer broke off: ${causeOf(error)}`);
  }
}

async function readWhole(response: Response, onChunk?: (text: string) => void): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as CompletionChunk | undefined;
  const text = body?.choices?.[0]?.message?.content;
  if (typeof text !== 'string') throw new PlannerUnavailableError('The planner answered without a message');
  onChunk?.(text);
  return text;
}

async function readStream(response: Response, onChunk?: (text: string) => void): Promise<string> {
  if (!response.body) throw new PlannerUnavailableError('The planner answered without a body');
  let text = '';
  let finished = false;
  const parser = createParser({
    onEvent(event: EventSourceMessage) {
      if (finished) return;
      if (event.data === '[DONE]') {
        finished = true;
        return;
      }
      const chunk = parseChunk(event.data);
      if (chunk.error) throw new PlannerUnavailableError(`The planner reported: ${chunk.error.message ?? 'an error'}`);
      const delta = chunk.choices?.[0]?.delta?.content;
      if (typeof delta === 'string' && delta.length > 0) {
        text += delta;
        onChunk?.(delta);
      }
    },
  });
  for await (const part of response.body.pipeThrough(new TextDecoderStream())) {
    parser.feed(part);
    if (finished) break;
  }
  if (!finished) throw new PlannerUnavailableError('The planner stream ended before [DONE]');
  return text;
}

function parseChunk(data: string): CompletionChunk {
  try {
    return JSON.parse(data) as CompletionChunk;
  } catch {
    throw new PlannerUnavailableError('The planner streamed something that is not JSON');
  }
}

async function detailOf(response: Response): Promise<string> {
  const raw = await response.text().catch(() => '');
  let detail = raw;
  try {
    detail = (JSON.parse(raw) as CompletionChunk).error?.message ?? raw;
  } catch {
    // not JSON: the text itself
  }
  detail = detail.trim() || response.statusText || 'no detail';
  return detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL)}…` : detail;
}

function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
