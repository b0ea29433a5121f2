// The module's public surface, what other modules use: they import it from here or from its *.module.ts,
// never from its other files (eslint.config.js, boundaries).
export { GenAi, genAiSpanName } from './gen-ai-attributes.js';
export { installTraceHooks } from './trace-hooks.js';
export { currentTraceIds, currentTraceparent, failed, inSpan, linkTo, tracer } from './tracer.js';
export type { SpanOptions } from './tracer.js';
export { startTracing } from './tracing-sdk.js';
