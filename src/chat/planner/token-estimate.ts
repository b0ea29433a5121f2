import type { PlanUsage } from '../task-plan-cache/task-plan-entry.js';

/**
 * An upper bound of a text's tokens with the common byte-level BPE vocabularies, not 4 times too
 * high for English: an ASCII character is a quarter token (English runs about 4 characters a
 * token), any other character half a token per UTF-8 byte (Cyrillic, 2 bytes, 1 token; CJK, 3
 * bytes, 1.5; an emoji, 4 bytes, 2), where 4 characters a token under-counted Cyrillic about 4
 * times and CJK 6 times. What a tenant reserves for a prompt, and the estimate for planners that
 * report no usage (flagged so).
 */
export function estimateTokens(text: string): number {
  let quarters = 0;
  for (let i = 0; i < text.length; i++) quarters += quartersOf(text.charCodeAt(i));
  return Math.ceil(quarters / 4);
}

/** The longest start of `text` estimated at most `tokens` tokens: where an answer limited to them stops. */
export function cutToTokens(text: string, tokens: number): string {
  let quarters = 0;
  let end = 0;
  for (const character of text) {
    quarters += quartersOf(character.charCodeAt(0)) * character.length;
    if (quarters > tokens * 4) return text.slice(0, end);
    end += character.length;
  }
  return text;
}

/** A UTF-16 code unit's quarter tokens: 1 for ASCII, else 2 per UTF-8 byte (a surrogate is half of 4 bytes). */
function quartersOf(unit: number): number {
  if (unit < 0x80) return 1;
  return unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff) ? 4 : 6;
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
