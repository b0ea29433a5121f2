import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import { hitRatio } from '../../plan-cache/index.js';
import type { CacheSavingsDto, ScopeStatsDto, TaskPlanStatsDto } from './dto/task-plan-stats.dto.js';
import type { ExperimentReport } from './experiments/experiment-report.js';
import { PlanExperiments } from './experiments/plan-experiments.js';
import type { HitTally } from './hit-tally.js';
import { ScopeCounters } from './scope-counters.js';
import { PlanScopes } from './plan-scope.js';
import { TaskPlanCache } from './task-plan-cache.js';
import { TaskPlanKey } from './task-plan-key.js';

type SavedWork = Pick<HitTally, 'savedInputTokens' | 'savedOutputTokens' | 'savedMs'>;

/** What operators may ask of the task plans (the admin API reaches them only through this). */
@Injectable()
export class TaskPlanAdmin {
  /** The namespace the task plans live in. */
  readonly namespace = TaskPlanKey.namespace;

  constructor(
    private readonly config: AppConfig,
    private readonly cache: TaskPlanCache,
    private readonly scopes: ScopeCounters,
    private readonly experiments: PlanExperiments,
    private readonly planScopes: PlanScopes,
  ) {}

  /** Clears the plan of a goal and context (a tenant's own with `tenant`); answers how many entries this process dropped. */
  clear(goal: string, projectContext?: string, tenant?: string): Promise<number> {
    return this.cache.forget(this.planScopes.identityOf(goal, projectContext, tenant));
  }

  /** The running A/B test's report; 404 when none runs. */
  experimentReport(): Promise<ExperimentReport> {
    return this.experiments.report();
  }

  stats(): TaskPlanStatsDto {
    const total: SavedWork = { savedInputTokens: 0, savedOutputTokens: 0, savedMs: 0 };
    for (const tally of this.scopes.all()) {
      total.savedInputTokens += tally.savedInputTokens;
      total.savedOutputTokens += tally.savedOutputTokens;
      total.savedMs += tally.savedMs;
    }
    return { enabled: this.config.taskPlanCache.enabled, savings: this.#priced(total), scopes: this.#scopes() };
  }

  #scopes(): ScopeStatsDto[] {
    const of = (scope: ScopeStatsDto['scope'], tenant: string | null, tally: HitTally): ScopeStatsDto => ({
      scope,
      tenant,
      hits: tally.hits,
      misses: tally.misses,
      hit_ratio: hitRatio(tally.hits, tally.misses),
      savings: this.#priced(tally),
    });
    const { shared, tenants, otherTenants } = this.scopes;
    return [
      of('shared', null, shared),
      ...[...tenants].map(([tenant, tally]) => of('tenant', tenant, tally)),
      ...(otherTenants.hits + otherTenants.misses > 0 ? [of('other_tenants', null, otherTenants)] : []),
    ];
  }

  #priced({ savedInputTokens, savedOutputTokens, savedMs }: SavedWork): CacheSavingsDto {
    const { inputPerMillionTokens, outputPerMillionTokens } = this.config.prices;
    return {
      input_tokens: savedInputTokens,
      output_tokens: savedOutputTokens,
      generation_seconds: Math.round(savedMs) / 1000,
      cost: Math.round(savedInputTokens * inputPerMillionTokens + savedOutputTokens * outputPerMillionTokens) / 1e6,
    };
  }
}
