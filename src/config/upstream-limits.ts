/** One character of a plan in a JSON answer: at most `\uXXXX`, the longest escape a server writes. */
const JSON_BYTES_PER_PLAN_CHAR = 6;
/** The rest of a chat-completions answer: ids, usage, a reasoning model's reasoning, a filter's verdicts. */
const ANSWER_ENVELOPE_BYTES = 1024 * 1024;
/**
 * Streamed, every token or two comes in an event of its own: a few hundred bytes of ids and
 * (Azure) filter results for a few characters. Read as it arrives, so this bounds the transfer,
 * not the memory.
 */
const STREAM_BYTES_PER_PLAN_CHAR = 1024;

/** The widest embeddings in common use (3,072 for text-embedding-3-large; 4,096 for some open models). */
const EMBEDDING_DIMENSIONS = 4096;
/** One value as OpenAI writes it: pretty-printed, `        -0.0069292834959924221,\n`. */
const EMBEDDING_VALUE_BYTES = 32;
const EMBEDDINGS_ENVELOPE_BYTES = 64 * 1024;

export interface PlannerAnswerLimits {
  /** Bytes of a whole (JSON) answer, and characters of one streamed event. */
  answerBytes: number;
  /** Bytes of a streamed answer. */
  streamBytes: number;
}

/** What is read of the planner's answers: a plan of PLANNER_MAX_PLAN_CHARS and its wrapping, no more. */
export function plannerAnswerLimitsOf(maxPlanChars: number): PlannerAnswerLimits {
  return {
    answerBytes: maxPlanChars * JSON_BYTES_PER_PLAN_CHAR + ANSWER_ENVELOPE_BYTES,
    streamBytes: maxPlanChars * STREAM_BYTES_PER_PLAN_CHAR + ANSWER_ENVELOPE_BYTES,
  };
}

/** EMBEDDINGS_MAX_RESPONSE_BYTES by default: a full batch of the widest embeddings. */
export function defaultEmbeddingsResponseBytes(batchMax: number): number {
  return batchMax * EMBEDDING_DIMENSIONS * EMBEDDING_VALUE_BYTES + EMBEDDINGS_ENVELOPE_BYTES;
}
