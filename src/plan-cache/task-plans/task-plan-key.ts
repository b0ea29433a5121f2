import { createHash } from 'node:crypto';

/** Who a task plan is for: its key and what is checked on read, so that a collision is a miss. */
export interface TaskPlanIdentity {
  /** `plan:` + the first 16 hex digits of sha256(normalized goal + ":" + context). */
  key: string;
  /** The normalized goal, stored in the entry and compared on read. */
  goal: string;
  /** sha256 of the project context (empty when absent), stored and compared on read. */
  contextHash: string;
}

const NAMESPACE = 'plan';

/** Unicode NFKC, trimmed, runs of white space made one space, lower case (Cyrillic included). */
function normalizeGoal(goal: string): string {
  return goal.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function identify(goal: string, projectContext?: string): TaskPlanIdentity {
  const normalized = normalizeGoal(goal);
  const context = projectContext ?? '';
  return {
    key: `${NAMESPACE}:${sha256(`${normalized}:${context}`).slice(0, 16)}`,
    goal: normalized,
    contextHash: sha256(context),
  };
}

export const TaskPlanKey = { namespace: NAMESPACE, normalizeGoal, identify } as const;
