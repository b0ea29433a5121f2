/** The `plans` namespace: cached billing-plan lists, as serialized answers. */
export const PLAN_LIST_CACHE = Symbol('PLAN_LIST_CACHE');

/** The `plan` namespace: task plans made by the planner agent. */
export const TASK_PLAN_CACHE = Symbol('TASK_PLAN_CACHE');
