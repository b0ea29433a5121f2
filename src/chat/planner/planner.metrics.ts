import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../../common/index.js';
import { AppConfig } from '../../config/index.js';
import type { PlanUsage } from '../task-plan-cache/task-plan-entry.js';

export type PlannerOutcome = 'success' | 'unavailable' | 'timeout' | 'cancelled';

/** The outcomes counted as failures in planner_errors_total{kind}. */
const FAILURES = ['unavailable', 'timeout'] as const satisfies readonly PlannerOutcome[];

/** Planner calls: how long they take by outcome, how many run, and the failures by kind. */
@Injectable()
export class PlannerMetrics {
  readonly #duration: Histogram<'provider' | 'outcome'>;
  readonly #inFlight: Gauge<'provider'>;
  readonly #errors: Counter<'provider' | 'kind'>;
  readonly #tokens: Counter<'provider' | 'direction'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, config: AppConfig) {
    this.#duration = new Histogram({
      name: 'planner_generation_seconds',
      help: 'Planner calls by provider and outcome',
      labelNames: ['provider', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 21, 34, 60],
      registers: [registry],
    });
    this.#inFlight = new Gauge({
      name: 'planner_in_flight',
      help: 'Planner calls running now',
      labelNames: ['provider'],
      registers: [registry],
    });
    this.#errors = new Counter({
      name: 'planner_errors_total',
      help: 'Planner calls that failed, by kind (cancelled calls are not failures)',
      labelNames: ['provider', 'kind'],
      registers: [registry],
    });
    this.#tokens = new Counter({
      name: 'planner_tokens_total',
      help: 'Planner tokens used, by direction (input: prompt, output: completion); estimated for the builtin planner',
      labelNames: ['provider', 'direction'],
      registers: [registry],
    });
    // At zero from the start: rate() and increase() alerts see the first failures, not a new series.
    const provider = config.planner.provider;
    for (const kind of FAILURES) this.#errors.labels({ provider, kind }).inc(0);
    for (const direction of ['input', 'output']) this.#tokens.labels({ provider, direction }).inc(0);
  }

  /** Tokens a planner call used (reported, or estimated for the builtin planner). */
  usedTokens(provider: string, usage: PlanUsage): void {
    this.#tokens.inc({ provider, direction: 'input' }, usage.input_tokens);
    this.#tokens.inc({ provider, direction: 'output' }, usage.output_tokens);
  }

  /** Call when a planner call starts; call the answer when it ends. */
  started(provider: string): (outcome: PlannerOutcome) => void {
    const stop = this.#duration.startTimer({ provider });
    this.#inFlight.inc({ provider });
    return (outcome) => {
      stop({ outcome });
      this.#inFlight.dec({ provider });
      if (outcome === 'unavailable' || outcome === 'timeout') this.#errors.inc({ provider, kind: outcome });
    };
  }
}
