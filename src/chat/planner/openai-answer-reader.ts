import { createParser, type EventSourceMessage, type ParseError } from 'eventsource-parser';
import { BodyTooLargeError, bodyStart, cappedText, readCappedJson } from '../../common/index.js';
import type { PlannerAnswerLimits } from '../../config/index.js';
import { PlannerAnswerTooLargeError, PlannerUnavailableError } from './planner.errors.js';

export interface CompletionChunk {
  choices?: {
    delta?: { content?: string | null };
    message?: { content?: string | null };
    /** `length` when max_tokens cut the answer. */
    finish_reason?: string | null;
  }[];
  error?: { message?: string };
  /** On the whole answer, and on the last streamed chunk when stream_options.include_usage is set. */
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

export interface ReadAnswer {
  text: string;
  truncated: boolean;
  usage?: CompletionChunk['usage'];
}

/**
 * Reads a chat-completions answer, whole (JSON) or streamed (server-sent events), never more of
 * it than `limits` allow: past them the connection is closed and the call fails with
 * {@link PlannerAnswerTooLargeError}, so a planner answering without end costs a bounded memory.
 */
export async function readAnswer(
  response: Response,
  stream: boolean,
  limits: PlannerAnswerLimits,
  onChunk?: (text: string) => void,
): Promise<ReadAnswer> {
  try {
    return stream ? await readStream(response, limits, onChunk) : await readWhole(response, limits, onChunk);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new PlannerAnswerTooLargeError(error.maxBytes);
    throw error;
  }
}

/** What an error answer says, from its first few KB (the rest is not read). */
export async function errorDetailOf(response: Response): Promise<string> {
  const raw = await bodyStart(response).catch(() => '');
  let detail = raw;
  try {
    detail = (JSON.parse(raw) as CompletionChunk).error?.message ?? raw;
  } catch {
    // not JSON, or cut: the text itself
  }
  return detail.trim() || response.statusText || 'no detail';
}

async function readWhole(
  response: Response,
  limits: PlannerAnswerLimits,
  onChunk?: (text: string) => void,
): Promise<ReadAnswer> {
  const body = (await readCappedJson(response, limits.answerBytes).catch(unlessNotJson)) as CompletionChunk | undefined;
  const choice = body?.choices?.[0];
  const text = choice?.message?.content;
  if (typeof text !== 'string') throw new PlannerUnavailableError('The planner answered without a message');
  onChunk?.(text);
  return { text, truncated: choice?.finish_reason === 'length', usage: body?.usage };
}

async function readStream(
  response: Response,
  limits: PlannerAnswerLimits,
  onChunk?: (text: string) => void,
): Promise<ReadAnswer> {
  if (!response.body) throw new PlannerUnavailableError('The planner answered without a body');
  let text = '';
  let finished = false;
  let truncated = false;
  let usage: CompletionChunk['usage'];
  const parser = createParser({
    // One line or event without an end must not grow the parser's buffer without end.
    maxBufferSize: limits.answerBytes,
    onError(error: ParseError) {
      if (error.type === 'max-buffer-size-exceeded') throw new PlannerAnswerTooLargeError(limits.answerBytes);
    },
    onEvent(event: EventSourceMessage) {
      if (finished) return;
      if (event.data === '[DONE]') {
        finished = true;
        return;
      }
      const chunk = parseChunk(event.data);
      if (chunk.error) throw new PlannerUnavailableError(`The planner reported: ${chunk.error.message ?? 'an error'}`);
      if (chunk.choices?.[0]?.finish_reason === 'length') truncated = true;
      if (chunk.usage) usage = chunk.usage;
      const delta = chunk.choices?.[0]?.delta?.content;
      if (typeof delta === 'string' && delta.length > 0) {
        text += delta;
        onChunk?.(delta);
      }
    },
  });
  for await (const part of cappedText(response, limits.streamBytes)) {
    parser.feed(part);
    if (finished) break;
  }
  if (!finished) throw new PlannerUnavailableError('The planner stream ended before [DONE]');
  return { text, truncated, usage };
}

function parseChunk(data: string): CompletionChunk {
  try {
    return JSON.parse(data) as CompletionChunk;
  } catch {
    throw new PlannerUnavailableError('The planner streamed something that is not JSON');
  }
}

/** An answer that is not JSON reads as no answer; any other failure (too large, broken off) stands. */
function unlessNotJson(error: unknown): undefined {
  if (error instanceof SyntaxError) return undefined;
  throw error;
}
