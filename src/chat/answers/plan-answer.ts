import type { CachedTaskPlan, PlanUsage, TaskPlanEntry } from '../task-plan-cache/task-plan-entry.js';
import type { TaskPlanIdentity } from '../task-plan-cache/task-plan-key.js';
import type { GenerationResult } from '../generation/generation.js';

export type PlanSource = 'l1' | 'l2' | 'generator' | 'semantic';

export interface SemanticMatchSummary {
  /** The (normalized) goal the plan was made for. */
  goal: string;
  /** Cosine similarity of the two goals' embeddings. */
  similarity: number;
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
