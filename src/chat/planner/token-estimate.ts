import type { PlanUsage } from '../task-plan-cache/task-plan-entry.js';

/**
 * About four characters a token for English text with the common BPE vocabularies (fewer for
 * Cyrillic, so this errs low there): an estimate for planners that report no usage, flagged so.
 */
const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function estimatedUsage(prompt: string, answer: string): PlanUsage {
  return { input_tokens: estimateTokens(prompt), output_tokens: estimateTokens(answer), estimated: true };
}
