import { strongEtag } from '../common/entity-tag.js';
import type { CachedTaskPlan, PlanUsage, TaskPlanEntry } from './task-plan-cache/task-plan-entry.js';
import type { TaskPlanIdentity } from './task-plan-cache/task-plan-key.js';
import type { GenerationResult } from './generation/generation.js';

/** What a stream tells its client, in order: a step, chunks, then done or error. */
export type StepCode = 'plan_from_cache' | 'plan_from_similar' | 'generating_plan' | 'generating_reply';

export interface StreamSummary {
  cached: boolean;
  stale: boolean;
  /** Where the answer came from; null for a chat reply, which is never cached. */
  source: PlanSource | null;
  key: string | null;
  generation_ms: number | null;
  /** The plan's entity tag, as `ETag` of `POST /api/chat/plan` gives it; null for a chat reply. */
  etag: string | null;
  /** The planner's answer was cut at its length limit (never the case for a cached plan). */
  truncated: boolean;
  /** What this answer's generation used; null when it came from the cache. */
  usage: PlanUsage | null;
  /** What a cached answer avoided (its generation's usage); null for a generated one. */
  saved: PlanUsage | null;
  /** Only on a plan of a near-duplicate goal: that goal, and how similar it is to the one asked. */
  match?: SemanticMatchSummary;
}

export type PlanSource = 'l1' | 'l2' | 'generator' | 'semantic';

export interface SemanticMatchSummary {
  /** The (normalized) goal the plan was made for. */
  goal: string;
  /** Cosine similarity of the two goals' embeddings. */
  similarity: number;
}

/** Where a use case sends its stream; the controller turns it into server-sent events. */
export interface PlanEventSink {
  step(code: StepCode): void;
  chunk(text: string): void;
  done(summary: StreamSummary): void;
  error(code: string, message: string): void;
}

/** The answer of `POST /api/chat/plan`. */
export interface PlanAnswer {
  plan: string;
  cached: boolean;
  stale: boolean;
  source: PlanSource;
  key: string;
  /** How long this request's generation took; null when the plan came from the cache. */
  generation_ms: number | null;
  /** The planner's answer was cut at its length limit, and not cached. */
  truncated: boolean;
  usage: PlanUsage | null;
  saved: PlanUsage | null;
  /** Only when `source` is `semantic`. */
  match?: SemanticMatchSummary;
}

/** The answer of a plan the planner made for this request (or another waiting for the same key). */
export function generatedAnswer(
  identity: TaskPlanIdentity,
  { text, generationMs, truncated, usage }: GenerationResult,
): PlanAnswer {
  return {
    plan: text,
    cached: false,
    stale: false,
    source: 'generator',
    key: identity.key,
    generation_ms: Math.round(generationMs),
    truncated,
    usage,
    saved: null,
  };
}

/** What a stream's `done` event says of an answer: all but the plan, which went as chunks, and its entity tag. */
export function streamSummary(answer: PlanAnswer): StreamSummary {
  const { cached, stale, source, key, generation_ms, truncated, usage, saved, match } = answer;
  const summary = { cached, stale, source, key, generation_ms, etag: planEtag(answer.plan), truncated, usage, saved };
  return match ? { ...summary, match } : summary;
}

/** The answer of a plan taken from the cache. */
export function cachedAnswer(
  identity: Pick<TaskPlanIdentity, 'key'>,
  entry: TaskPlanEntry,
  source: 'l1' | 'l2',
  stale: boolean,
): PlanAnswer {
  return {
    plan: entry.plan,
    cached: true,
    stale,
    source,
    key: identity.key,
    generation_ms: null,
    truncated: false,
    usage: null,
    saved: entry.usage ?? null,
  };
}

/** The answer of the plan of a near-duplicate goal: a hit, under the key of the entry it came from. */
export function similarAnswer({
  key,
  entry,
  similarity,
}: {
  key: string;
  entry: CachedTaskPlan;
  similarity: number;
}): PlanAnswer {
  const match = { goal: entry.value.goal, similarity: Math.round(similarity * 10_000) / 10_000 };
  return { ...cachedAnswer({ key }, entry.value, 'l1', false), source: 'semantic', match };
}

/** A cached plan replayed line by line; joined, the pieces are the plan. */
export function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * The entity tag of a plan: the same for the same plan text, from the cache or the planner, on
 * every instance; another after a regeneration that changed the plan. Weak, since the answers
 * around the plan (cached, source) differ from request to request.
 */
export function planEtag(plan: string): string {
  return `W/${strongEtag(plan)}`;
}

/** Plans can carry a project's context: for this client only, never a shared cache. */
export const PLAN_CACHE_CONTROL = 'private';

/** A cached plan as a stream: the step, the plan line by line, done. */
export function replayCachedPlan(
  identity: TaskPlanIdentity,
  entry: TaskPlanEntry,
  source: 'l1' | 'l2',
  stale: boolean,
  sink: PlanEventSink,
) {
  replayAnswer('plan_from_cache', cachedAnswer(identity, entry, source, stale), sink);
}

/** An answer from the cache as a stream: its step, the plan line by line, done. */
export function replayAnswer(step: StepCode, answer: PlanAnswer, sink: PlanEventSink): void {
  sink.step(step);
  for (const line of linesOf(answer.plan)) sink.chunk(line);
  sink.done(streamSummary(answer));
}
