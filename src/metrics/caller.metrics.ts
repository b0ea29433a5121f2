import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics.registry.js';

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
      help: 'Requests refused before they could start a generation, by reason',
      labelNames: ['reason'],
      registers: [registry],
    });
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
