// The module's public surface, what other modules use: they import it from here or from its *.module.ts,
// never from its other files (eslint.config.js, boundaries).
export { DatabaseHealthIndicator } from './database.health.js';
export { HealthController } from './health.controller.js';
export { PlannerHealthIndicator } from './planner.health.js';
export { RedisHealthIndicator } from './redis.health.js';
