import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../common/index.js';
import type { RefusalReason } from './limit-refusal.error.js';

/** Every refusal reason, counted from zero (a reason added to RefusalReason and not here does not compile). */
const REFUSAL_REASONS = Object.keys({
  anonymous_generations: 0,
  authenticated_generations: 0,
  anonymous_chats: 0,
  tenant_tokens: 0,
  planner_queue_full: 0,
  planner_queue_timeout: 0,
  cross_site: 0,
  semantic_feedback: 0,
  streams_per_caller: 0,
  anonymous_list_loads: 0,
} satisfies Record<RefusalReason, 0>);

/** Refusals by reason, and the planner queue: how many wait, and for how long. */
@Injectable()
export class CallerMetrics {
  readonly #refusals: Counter<'reason'>;
  readonly #queueDepth: Gauge;
  readonly #queueWait: Histogram;
  #depth: () => number = () => 0;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.#refusals = new Counter({
      name: 'rate_limit_refusals_total',
      help: 'Requests refused by a limit of their caller (generations, streams, feedback, uncached lists), by reason',
      labelNames: ['reason'],
      registers: [registry],
    });
    // At zero from the start: rate() and increase() alerts see the first refusals, not a new series.
    for (const reason of REFUSAL_REASONS) this.#refusals.labels({ reason }).inc(0);
    const depth = (): number => this.#depth();
    this.#queueDepth = new Gauge({
      name: 'planner_queue_depth',
      help: 'Generations waiting for a planner slot (PLANNER_MAX_CONCURRENCY)',
      registers: [registry],
      collect() {
        this.set(depth());
      },
    });
    this.#queueWait = new Histogram({
      name: 'planner_queue_wait_seconds',
      help: 'How long generations waited for a planner slot',
      buckets: [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
  }

  refused(reason: string): void {
    this.#refusals.inc({ reason });
  }

  waited(ms: number): void {
    this.#queueWait.observe(ms / 1000);
  }

  /** Where the queue's depth is read at each scrape. */
  watchQueue(depth: () => number): void {
    this.#depth = depth;
    this.#queueDepth.set(depth());
  }
}
