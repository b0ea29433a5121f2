import type { CacheEntry, ValueCodec } from '../../plan-cache/index.js';
import type { TaskPlanIdentity } from './task-plan-key.js';

/** 3: the plan's life is the engine's entry's alone (version 1 carried copies of it); older entries are misses. */
export const TASK_PLAN_ENTRY_VERSION = 3;

/**
 * A cached task plan: the plan and what proves whose it is. JSON only. When it was made and how
 * long it is fresh is the engine's entry life ({@link CachedTaskPlan}), not the plan's.
 */
export interface TaskPlanEntry {
  v: typeof TASK_PLAN_ENTRY_VERSION;
  goal: string;
  context_hash: string;
  plan: string;
  generation_ms: number;
  /** The tenant tag of a per-tenant plan; absent for shared plans. */
  scope?: string;
  /** What making the plan cost; absent in entries stored before it was recorded. */
  usage?: PlanUsage;
  /** The goal's embedding, so that any instance can index the entry for near-duplicate goals. */
  embedding?: GoalEmbedding;
  /** Who asked for the plan (a caller tag): its own confirmations of the entry do not count. */
  creator?: string;
}

/** A task plan as the cache holds it: the plan and its life (created, fresh until, usable until). */
export type CachedTaskPlan = CacheEntry<TaskPlanEntry>;

/** An embedding as an entry carries it: its model, and base64 of its float32 values. */
export interface GoalEmbedding {
  model: string;
  vector: string;
}

const isGoalEmbedding = (value: unknown): value is GoalEmbedding =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as GoalEmbedding).model === 'string' &&
  typeof (value as GoalEmbedding).vector === 'string';

/** A generation's tokens, as the planner reported them or, flagged, as estimated. */
export interface PlanUsage {
  input_tokens: number;
  output_tokens: number;
  estimated: boolean;
}

export function isPlanUsage(value: unknown): value is PlanUsage {
  if (typeof value !== 'object' || value === null) return false;
  const usage = value as Partial<PlanUsage>;
  return isCount(usage.input_tokens) && isCount(usage.output_tokens) && typeof usage.estimated === 'boolean';
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Whether `value` has the shape and version of an entry (whoever's it is). */
export function isTaskPlanEntry(value: unknown): value is TaskPlanEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<TaskPlanEntry>;
  return (
    entry.v === TASK_PLAN_ENTRY_VERSION &&
    typeof entry.goal === 'string' &&
    typeof entry.context_hash === 'string' &&
    typeof entry.plan === 'string' &&
    entry.plan.trim().length > 0 &&
    isFiniteNumber(entry.generation_ms) &&
    (entry.scope === undefined || typeof entry.scope === 'string') &&
    (entry.usage === undefined || isPlanUsage(entry.usage)) &&
    (entry.embedding === undefined || isGoalEmbedding(entry.embedding)) &&
    (entry.creator === undefined || typeof entry.creator === 'string')
  );
}

/**
 * Whether `value` is a well-formed entry for exactly this goal and context. Anything else (another
 * goal under a colliding key, an older format, a planted value) is a miss, never a wrong plan.
 */
export function isTaskPlanEntryFor(value: unknown, identity: TaskPlanIdentity): value is TaskPlanEntry {
  return (
    isTaskPlanEntry(value) &&
    value.goal === identity.goal &&
    value.context_hash === identity.contextHash &&
    value.scope === identity.scope
  );
}

/** Task plans cross Redis as they are (JSON), and are checked on the way back. */
export const TASK_PLAN_ENTRY_CODEC: ValueCodec<TaskPlanEntry> = {
  decode: (json) => (isTaskPlanEntry(json) ? json : undefined),
};
