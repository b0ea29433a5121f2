import { context, propagation } from '@opentelemetry/api';
import type { PlanUsage } from '../task-plan-cache/task-plan-entry.js';
import type { PlannerAnswerLimits } from '../../config/index.js';
import { errorDetailOf, readAnswer, type CompletionChunk } from './openai-answer-reader.js';
import type { Planner, PlannerAnswer, PlannerCallKind, PlannerCallOptions, PlannerRequest } from './planner.js';
import { estimatedUsage, estimatePromptTokens } from './token-estimate.js';
import { PlannerRefusedError, PlannerUnavailableError } from './planner.errors.js';

export interface OpenAiPlannerSettings {
  /** e.g. `https://api.openai.com/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** `max_tokens` of every request. */
  maxTokens: number;
  /** Bytes read of an answer; past them the call fails and the connection is closed. */
  answerLimits: PlannerAnswerLimits;
}

interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

/** Asks a streamed answer to end with a chunk that reports the tokens used. */
const STREAM_USAGE = { stream_options: { include_usage: true } };

const PLAN_INSTRUCTIONS =
  'You are a planning assistant. Answer with a numbered, step-by-step plan that reaches the goal, ' +
  'taking the project context into account. Write in the language of the goal. No preamble.';
const CHAT_INSTRUCTIONS =
  'You are a planning assistant. Answer the user briefly and helpfully, in the language they write in.';

/**
 * Any OpenAI-compatible chat-completions server, through `fetch`: streamed (`stream: true`, read
 * as server-sent events) or whole, at most `max_tokens` long. Failures and non-2xx answers become
 * PlannerUnavailableError (PlannerRefusedError when nothing can have been billed: never reached, or
 * not 2xx), whose message is for the log only (it may name hosts, addresses or
 * parts of a key: clients get a fixed message); the caller's signal cancels the HTTP request.
 */
export class OpenAiPlanner implements Planner {
  readonly provider = 'openai';
  readonly #endpoint: string;

  constructor(private readonly settings: OpenAiPlannerSettings) {
    this.#endpoint = `${settings.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  plan(request: PlannerRequest, options: PlannerCallOptions): Promise<PlannerAnswer> {
    return this.#complete(messagesFor(PLAN_INSTRUCTIONS, request), options);
  }

  reply(request: PlannerRequest, options: PlannerCallOptions): Promise<PlannerAnswer> {
    return this.#complete(messagesFor(CHAT_INSTRUCTIONS, request), options);
  }

  promptTokens(request: PlannerRequest, kind: PlannerCallKind): number {
    const instructions = kind === 'plan' ? PLAN_INSTRUCTIONS : CHAT_INSTRUCTIONS;
    return estimatePromptTokens(messagesFor(instructions, request).map((message) => message.content));
  }

  async #complete(
    messages: ChatMessage[],
    { signal, onChunk, stream, maxTokens: granted }: PlannerCallOptions,
  ): Promise<PlannerAnswer> {
    const { model } = this.settings;
    const maxTokens = Math.min(this.settings.maxTokens, granted ?? Infinity);
    const body = { model, messages, stream, max_tokens: maxTokens, ...(stream && STREAM_USAGE) };
    const response = await this.#post(body, signal);
    if (!response.ok) {
      throw new PlannerRefusedError(`The planner answered HTTP ${response.status}: ${await errorDetailOf(response)}`);
    }
    const read = await guard(signal, () => readAnswer(response, stream, this.settings.answerLimits, onChunk));
    if (read.text.trim().length === 0) throw new PlannerUnavailableError('The planner answered an empty text');
    const prompt = messages.map((message) => message.content).join('\n');
    return { text: read.text, truncated: read.truncated, usage: usageOf(read.usage, prompt, read.text) };
  }

  async #post(body: object, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.settings.apiKey) headers.authorization = `Bearer ${this.settings.apiKey}`;
    // W3C traceparent: the planner's own traces join the request's.
    propagation.inject(context.active(), headers);
    return guard(signal, () =>
      fetch(this.#endpoint, { method: 'POST', headers, body: JSON.stringify(body), signal }).catch((error: unknown) => {
        throw new PlannerRefusedError(`The planner could not be reached: ${causeOf(error)}`);
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

/** The reported usage; an estimate, flagged, when the server reports none (some compatible servers). */
function usageOf(reported: CompletionChunk['usage'], prompt: string, text: string): PlanUsage {
  const input = reported?.prompt_tokens;
  const output = reported?.completion_tokens;
  if (Number.isSafeInteger(input) && Number.isSafeInteger(output) && input! >= 0 && output! >= 0) {
    return { input_tokens: input!, output_tokens: output!, estimated: false };
  }
  return estimatedUsage(prompt, text);
}

function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
