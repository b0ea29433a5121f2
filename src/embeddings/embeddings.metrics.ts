import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../common/index.js';
import type { BatchOutcome, EmbeddingsObserver } from './batching-embeddings.js';

/** Embedding calls: how many texts each batch carried, by outcome, and the texts served from memory. */
@Injectable()
export class EmbeddingsMetrics implements EmbeddingsObserver {
  readonly #batchSize: Histogram<'outcome'>;
  readonly #cached: Counter;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.#batchSize = new Histogram({
      name: 'embeddings_batch_size',
      help: 'Texts per embeddings provider call, by outcome (ok, failed, short_circuited)',
      labelNames: ['outcome'],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048],
      registers: [registry],
    });
    this.#cached = new Counter({
      name: 'embeddings_cached_total',
      help: 'Texts whose embedding was taken from memory instead of the provider',
      registers: [registry],
    });
  }

  batch(size: number, outcome: BatchOutcome): void {
    this.#batchSize.observe({ outcome }, size);
  }

  cached(): void {
    this.#cached.inc();
  }
}
