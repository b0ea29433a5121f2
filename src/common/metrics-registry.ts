/**
 * The service's Prometheus registry, as a DI token: each module registers the metrics it owns
 * into it, and the operations' MetricsModule provides it and serves it at /metrics.
 */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
