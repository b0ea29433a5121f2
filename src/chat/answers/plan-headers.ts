import { strongEtag } from '../../common/index.js';

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
