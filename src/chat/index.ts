// The module's public surface, what other modules use: they import it from here or from its *.module.ts,
// never from its other files (eslint.config.js, boundaries).
export { TaskPlanStatsDto } from './task-plan-cache/dto/task-plan-stats.dto.js';
export type { ExperimentReport } from './task-plan-cache/experiments/experiment-report.js';
export { TaskPlanAdmin } from './task-plan-cache/task-plan-admin.js';
export { TaskPlanCacheModule } from './task-plan-cache/task-plan-cache.module.js';
