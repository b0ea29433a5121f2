import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { catchUpCounter, METRICS_REGISTRY } from '../../common/index.js';
import { AppConfig } from '../../config/index.js';
import { TaskPlanEntries } from '../task-plan-cache/task-plan-entries.js';
import { IDENTITY_GATES, type IdentityGate } from './identity-gates.js';
import type { ObservationOrigin } from './semantic-observation.repository.js';

/** Why a near-duplicate was not served: its threshold, a gate, no embedding to compare, or the caller's lookups spent. */
export type SemanticRefusal = IdentityGate | 'threshold' | 'embeddings_unavailable' | 'lookup_budget';

export type VerificationOutcome = 'agreed' | 'false_hit';

/** Every origin and outcome of an observation (one added to ObservationOrigin and not here does not compile). */
const ORIGINS = Object.keys({ verification: 0, near_miss: 0, feedback: 0 } satisfies Record<ObservationOrigin, 0>);
const OUTCOMES = Object.keys({ agreed: 0, false_hit: 0 } satisfies Record<VerificationOutcome, 0>);
const REFUSALS: readonly SemanticRefusal[] = [
  ...IDENTITY_GATES,
  'threshold',
  'embeddings_unavailable',
  'lookup_budget',
];

/** Task-plan hits, exact and semantic; refusals by gate; what verification and feedback found. */
@Injectable()
export class SemanticMetrics {
  readonly #refusals: Counter<'reason'>;
  readonly #observations: Counter<'origin' | 'outcome'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, plans: TaskPlanEntries, config: AppConfig) {
    // Counted as plain fields on the hot path, caught up when Prometheus scrapes.
    const matched = { exact: 0, semantic: 0 };
    plans.subscribe((event) => {
      if (event.type === 'hit') matched[event.match]++;
    });
    catchUpCounter(
      registry,
      'plan_cache_task_plan_hits_total',
      'Task plans served from the cache, by match: exact (this goal) or semantic (a near-duplicate goal)',
      ['match'],
      () => [
        [{ match: 'exact' }, matched.exact],
        [{ match: 'semantic' }, matched.semantic],
      ],
    );
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
    // At zero from the start while matching is on: rate() and increase() alerts see the first events.
    if (!config.semantic.enabled) return;
    for (const reason of REFUSALS) this.#refusals.labels({ reason }).inc(0);
    for (const origin of ORIGINS) for (const outcome of OUTCOMES) this.#observations.labels({ origin, outcome }).inc(0);
  }

  refused(reason: SemanticRefusal): void {
    this.#refusals.inc({ reason });
  }

  observed(origin: string, outcome: VerificationOutcome): void {
    this.#observations.inc({ origin, outcome });
  }
}
