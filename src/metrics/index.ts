// The module's public surface, what other modules use: they import it from here or from its *.module.ts,
// never from its other files (eslint.config.js, boundaries).
export { MetricsTokenGuard } from './metrics-token.guard.js';
export { MetricsController } from './metrics.controller.js';
