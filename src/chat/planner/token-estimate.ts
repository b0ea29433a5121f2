import type { PlanUsage } from '../task-plan-cache/task-plan-entry.js';

/**
 * About four characters a token for English text with the common BPE vocabularies (fewer for
 * Cyrillic, so this errs low there): an estimate for planners that report no usage, flagged so.
 */
const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return tokensOfChars(text.length);
}

/** The estimated tokens of a text `chars` characters long. */
export function tokensOfChars(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

export function estimatedUsage(prompt: string, answer: string): PlanUsage {
  return { input_tokens: estimateTokens(prompt), output_tokens: estimateTokens(answer), estimated: true };
}

/**
 * Chat-completions servers count a few tokens per message for its framing and a few to prime the
 * reply (3 and 3 with OpenAI's current models); counted so that a reservation covers them too.
 */
const TOKENS_PER_MESSAGE = 3;
const REPLY_PRIMING_TOKENS = 3;

/** The estimated prompt tokens of a chat request made of these message texts. */
export function estimatePromptTokens(messages: readonly string[]): number {
  const content = messages.reduce((sum, message) => sum + estimateTokens(message), 0);
  return content + messages.length * TOKENS_PER_MESSAGE + REPLY_PRIMING_TOKENS;
}

/** The longest text `tokens` tokens are estimated to hold: what an answer limited to them may write. */
export function charsOfTokens(tokens: number): number {
  return tokens * CHARS_PER_TOKEN;
}
