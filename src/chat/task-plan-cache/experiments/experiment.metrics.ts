import { Inject, Injectable } from '@nestjs/common';
import { Histogram, type Registry } from 'prom-client';
import { catchUpCounter, METRICS_REGISTRY } from '../../../common/index.js';
import { AppConfig } from '../../../config/index.js';
import type { PolicyCounters } from '../task-plan-policy.js';
import { PlanExperiments } from './plan-experiments.js';

const COUNTERS: [name: string, help: string, read: (counters: PolicyCounters) => number][] = [
  ['plan_experiment_requests_total', 'Task-plan requests by experiment variant', (c) => c.requests],
  ['plan_experiment_hits_total', 'Task plans answered from the cache, by variant', (c) => c.hits],
  ['plan_experiment_misses_total', 'Task-plan requests the cache could not answer, by variant', (c) => c.misses],
  ['plan_experiment_stale_total', 'Expired plans served because the planner failed, by variant', (c) => c.stale],
  ['plan_experiment_planner_calls_total', 'Planner calls made for a variant', (c) => c.plannerCalls],
  [
    'plan_experiment_generation_saved_seconds_total',
    'Generation time the hits did not wait for, by variant',
    (c) => c.savedMs / 1000,
  ],
];

/** Per-variant metrics of the running A/B test; none without one. Summed across instances by Prometheus. */
@Injectable()
export class ExperimentMetrics {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry, experiments: PlanExperiments, config: AppConfig) {
    const experiment = experiments.experiment;
    if (experiment === undefined || !config.metricsEnabled) return;
    const labelNames = ['experiment', 'variant'];
    for (const [name, help, read] of COUNTERS) {
      catchUpCounter(registry, name, help, labelNames, () =>
        experiments.policies.map((policy) => [{ experiment, variant: policy.variant }, read(policy.counters)]),
      );
    }
    const duration = new Histogram({
      name: 'plan_experiment_request_duration_seconds',
      help: 'Task-plan requests by variant, until the answer (or the end of the stream)',
      labelNames,
      buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    });
    experiments.onRequest((policy, latencyMs) =>
      duration.observe({ experiment, variant: policy.variant }, latencyMs / 1000),
    );
  }
}
