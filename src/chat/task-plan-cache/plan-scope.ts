import type { Caller } from '../../callers/caller.js';
import type { AppConfig } from '../../config/app-config.js';
import { TaskPlanKey, type TaskPlanIdentity } from './task-plan-key.js';
import type { PlannerRequest } from '../planner/planner.js';

/**
 * Whose cache a caller's task plans live in: with PLAN_CACHE_SCOPE=tenant an authenticated
 * caller's are its tenant's own; anonymous callers and the operator share the public scope.
 */
export function planIdentityFor(
  request: PlannerRequest,
  caller: Caller,
  scope: AppConfig['cacheScope'],
): TaskPlanIdentity {
  const tenant = scope === 'tenant' && caller.kind === 'authenticated' ? caller.tenant : undefined;
  return TaskPlanKey.identify(request.goal, request.projectContext, tenant);
}
