// The module's public surface, what other modules use: they import it from here or from its *.module.ts,
// never from its other files (eslint.config.js, boundaries).
export { addressKey } from './address-key.js';
export { CallerGuard, CurrentCaller } from './caller.guard.js';
export { CallerMetrics } from './caller.metrics.js';
export { CallerResolver } from './caller.resolver.js';
export type { Caller } from './caller.js';
export { GenerationAdmission } from './generation-admission.js';
export type { GenerationPermit } from './generation-admission.js';
export { UnauthenticatedError } from './invalid-token.error.js';
export { LimitExceededError } from './limit-refusal.error.js';
export { OpenStreams } from './open-streams.js';
export { RateBudget } from './rate-budget.js';
