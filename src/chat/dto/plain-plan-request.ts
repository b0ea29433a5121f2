import type { PlannerRequest } from '../planner/planner.js';
import { GOAL_HAS_WORD, MAX_CONTEXT_LENGTH, MAX_GOAL_LENGTH } from './plan-request.dto.js';

const FIELDS = new Set(['goal', 'project_context']);

/**
 * The request when the body is one that {@link PlanRequestDto} surely accepts as it stands,
 * else undefined (the body then goes through validation, which explains what is wrong). Lengths
 * are compared in UTF-16 units, never fewer than the characters the DTO counts.
 */
export function plainPlanRequest(body: unknown): PlannerRequest | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  for (const field of Object.keys(body)) if (!FIELDS.has(field)) return undefined;
  const { goal, project_context: context } = body as Record<string, unknown>;
  if (typeof goal !== 'string' || goal.length > MAX_GOAL_LENGTH || goal.trim().length === 0) return undefined;
  if (!GOAL_HAS_WORD.test(goal)) return undefined;
  if (context !== undefined && (typeof context !== 'string' || context.length > MAX_CONTEXT_LENGTH)) return undefined;
  return { goal, projectContext: context };
}
