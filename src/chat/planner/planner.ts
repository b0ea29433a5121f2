import type { PlanUsage } from '../task-plan-cache/task-plan-entry.js';

/** What the planner agent is asked. */
export interface PlannerRequest {
  goal: string;
  projectContext?: string;
}

export interface PlannerCallOptions {
  /** Aborts the call: the client left, or the deadline passed. */
  signal: AbortSignal;
  /** Receives the text as it is produced; joined, the chunks are the answer. */
  onChunk?: (text: string) => void;
  /** Ask the upstream for a streamed answer (the chunks arrive as they are produced). */
  stream: boolean;
}

/** What the planner answered: the whole text, and whether it was cut short. */
export interface PlannerAnswer {
  text: string;
  /** Cut by the server's token limit (PLANNER_MAX_TOKENS) or at PLANNER_MAX_PLAN_CHARS: never cached. */
  truncated: boolean;
  /** The call's tokens: as the planner reported them, or estimated (and flagged). */
  usage: PlanUsage;
}

/**
 * The planner agent. `plan` answers a step-by-step plan, `reply` a conversational answer
 * (`mode=chat`). Both resolve to the whole text, throw {@link PlannerUnavailableError} when the
 * planner fails, and stop when the signal aborts.
 */
export interface Planner {
  readonly provider: 'builtin' | 'openai';
  plan(request: PlannerRequest, options: PlannerCallOptions): Promise<PlannerAnswer>;
  reply(request: PlannerRequest, options: PlannerCallOptions): Promise<PlannerAnswer>;
}

export const PLANNER = Symbol('PLANNER');
