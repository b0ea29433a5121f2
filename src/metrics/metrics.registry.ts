import { collectDefaultMetrics, Registry } from 'prom-client';

/** The service's own Prometheus registry (never the global one), with the process metrics. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client also exports these gauges under a counter's "_total" name, which promtool rejects;
  // the same numbers remain as nodejs_active_handles, nodejs_active_requests, nodejs_active_resources.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }
  return registry;
}
