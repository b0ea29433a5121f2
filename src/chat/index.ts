// The module's public surface, what other modules use: they import it from here or from its *.module.ts,
// never from its other files (eslint.config.js, boundaries).
export { TaskPlanStatsDto } from './task-plan-cache/dto/task-plan-stats.dto.js';
export type { ExperimentReport } from './task-plan-cache/experiments/experiment-report.js';
export { TaskPlanAdmin } from './task-plan-cache/task-plan-admin.js';
export { TaskPlanCacheModule } from './task-plan-cache/task-plan-cache.module.js';
export { labelledPairs } from './semantic/calibration/labelled-pairs.js';
export { byCategory, formPairs, scorePairs } from './semantic/calibration/match-quality.js';
export { calibrate, writeCalibration } from './semantic/calibration/semantic-calibration.js';
export { goalEmbeddingModel } from './semantic/matching-form/matching-form.js';
export { loadLexicon } from './semantic/matching-form/lexicon.js';
