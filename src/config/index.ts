// The module's public surface, what other modules use: they import it from here or from its *.module.ts,
// never from its other files (eslint.config.js, boundaries).
export { AppConfig } from './app-config.js';
export type { CacheNamespaceSettings } from './app-config.js';
export type { ExperimentSettings } from './experiments-file.js';
export { redactUrls } from './redact-url.js';
export type { RedisAccess, RedisMode, RedisTopology } from './redis-variables.js';
export type { HostPort } from './host-port-list.js';
export type { TracingSettings } from './tracing-variables.js';
export type { PlannerAnswerLimits } from './upstream-limits.js';
export { messagesByField } from './validation-messages.js';
export type { EmbeddingsSettings } from './semantic-variables.js';
