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
  /**
   * The most tokens the answer may use, when fewer than PLANNER_MAX_TOKENS: what the tenant's
   * reservation covers. The planner never asks for more.
   */
  maxTokens?: number;
}

/** Which answer a call asks for: a plan, or a conversational reply (`mode=chat`). */
export type PlannerCallKind = 'plan' | 'reply';

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
  /** The estimated tokens of the prompt a call for `request` sends: what a reservation covers first. */
  promptTokens(request: PlannerRequest, kind: PlannerCallKind): number;
}

export const PLANNER = Symbol('PLANNER');
