import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import type { IdentityGate } from '../chat/semantic/identity-gates.js';
import { METRICS_REGISTRY } from './metrics.registry.js';

/** Why a near-duplicate was not served: its threshold, a gate, or no embedding to compare. */
export type SemanticRefusal = IdentityGate | 'threshold' | 'embeddings_unavailable';

export type VerificationOutcome = 'agreed' | 'false_hit';

/** Semantic matching: hits, refusals by gate, and what verification and feedback found. */
@Injectable()
export class SemanticMetrics {
  readonly #hits: Counter;
  readonly #refusals: Counter<'reason'>;
  readonly #observations: Counter<'origin' | 'outcome'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.#hits = new Counter({
      name: 'plan_cache_semantic_hits_total',
      help: 'Exact misses served the cached plan of a near-duplicate goal',
      registers: [registry],
    });
    this.#refusals = new Counter({
      name: 'plan_cache_semantic_refusals_total',
      help: 'Exact misses whose nearest cached goal was refused, by the first reason (threshold or identity gate)',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.#observations = new Counter({
      name: 'plan_cache_semantic_observations_total',
      help: 'Checked semantic matches by origin (verification, near_miss, feedback) and outcome (agreed, false_hit)',
      labelNames: ['origin', 'outcome'],
      registers: [registry],
    });
  }

  hit(): void {
    this.#hits.inc();
  }

  refused(reason: SemanticRefusal): void {
    this.#refusals.inc({ reason });
  }

  observed(origin: string, outcome: VerificationOutcome): void {
    this.#observations.inc({ origin, outcome });
  }
}
