import type { PlanUsage, TaskPlanEntry } from '../task-plan-cache/task-plan-entry.js';
import type { TaskPlanIdentity } from '../task-plan-cache/task-plan-key.js';
import { cachedAnswer, type PlanAnswer, type PlanSource, type SemanticMatchSummary } from '../answers/plan-answer.js';
import { planEtag } from '../answers/plan-headers.js';

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

/** Where a use case sends its stream; the controller turns it into server-sent events. */
export interface PlanEventSink {
  step(code: StepCode): void;
  chunk(text: string): void;
  done(summary: StreamSummary): void;
  error(code: string, message: string): void;
}

/** What a stream's `done` event says of an answer: all but the plan, which went as chunks, and its entity tag. */
export function streamSummary(answer: PlanAnswer): StreamSummary {
  const { cached, stale, source, key, generation_ms, truncated, usage, saved, match } = answer;
  const summary = { cached, stale, source, key, generation_ms, etag: planEtag(answer.plan), truncated, usage, saved };
  return match ? { ...summary, match } : summary;
}

/** A cached plan replayed line by line; joined, the pieces are the plan. */
export function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

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
