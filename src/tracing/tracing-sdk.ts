import type { TracingSettings } from '../config/index.js';

/** A starting SDK: ready once spans are recorded and exported, to flush and stop when the service stops. */
export interface Tracing {
  readonly ready: Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry for this process when an OTLP endpoint is configured; undefined without
 * one: nothing is loaded or installed at all. The SDK is imported here, not at start-up, so that the
 * default set-up does not keep it in memory (docs/decisions.md, "Memory targets"); spans made before
 * `ready` would not be recorded, so the HTTP server waits for it before it listens.
 */
export function startTracing(settings: TracingSettings): Tracing | undefined {
  const { endpoint } = settings;
  if (!endpoint) return undefined;
  const stop = import('./otlp-sdk.js').then(({ startOtlpSdk }) => startOtlpSdk({ ...settings, endpoint }));
  return {
    ready: stop.then(() => undefined),
    shutdown: () => stop.then((shutdown) => shutdown()),
  };
}
