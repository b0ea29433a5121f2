import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { CacheNamespace } from './cache-namespace.js';
import { hitRatio, type NamespaceStatsSnapshot } from './namespace-stats.js';
import { PLAN_LIST_CACHE, TASK_PLAN_CACHE } from './plan-cache.tokens.js';

/** Counters summed over the namespaces for the totals of the stats answer. */
const SUMMED = [
  'local_cache_size',
  'local_max_size',
  'hits',
  'misses',
  'l1_hits',
  'l2_hits',
  'stale_hits',
  'sets',
  'skipped_fast',
  'coalesced',
  'evictions',
] as const satisfies readonly (keyof NamespaceStatsSnapshot)[];
type SummedField = (typeof SUMMED)[number];

export type PlanCacheStats = Pick<NamespaceStatsSnapshot, SummedField | 'enabled' | 'hit_ratio'> & {
  redis_enabled: boolean;
  redis_connected: boolean;
  redis_cache_size: number | null;
  namespaces: Record<string, NamespaceStatsSnapshot>;
};

/** The namespaces of the plan cache, their statistics and their administration. */
@Injectable()
export class PlanCacheService {
  readonly #namespaces: ReadonlyMap<string, CacheNamespace<unknown>>;

  constructor(
    private readonly config: AppConfig,
    @Inject(PLAN_LIST_CACHE) planLists: CacheNamespace<unknown>,
    @Inject(TASK_PLAN_CACHE) taskPlans: CacheNamespace<unknown>,
  ) {
    this.#namespaces = new Map([
      [taskPlans.name, taskPlans],
      [planLists.name, planLists],
    ]);
  }

  get namespaceNames(): string[] {
    return [...this.#namespaces.keys()];
  }

  namespace<V>(name: string): CacheNamespace<V> {
    const namespace = this.#namespaces.get(name);
    if (!namespace) throw new NotFoundException(`Unknown cache namespace "${name}"`);
    return namespace as CacheNamespace<V>;
  }

  /** Clears one namespace, or all of them; answers how many entries were dropped. */
  async clear(name?: string): Promise<number> {
    const targets = name === undefined ? [...this.#namespaces.values()] : [this.namespace(name)];
    const cleared = await Promise.all(targets.map((namespace) => namespace.clear()));
    return cleared.reduce((sum, count) => sum + count, 0);
  }

  stats(): PlanCacheStats {
    const namespaces = Object.fromEntries(
      [...this.#namespaces].map(([name, namespace]) => [name, namespace.snapshot()]),
    );
    const totals = Object.fromEntries(SUMMED.map((field) => [field, 0])) as Record<SummedField, number>;
    for (const snapshot of Object.values(namespaces)) for (const field of SUMMED) totals[field] += snapshot[field];
    return {
      enabled: this.config.taskPlanCache.enabled,
      redis_enabled: this.config.redis.enabled,
      redis_connected: false,
      redis_cache_size: null,
      ...totals,
      hit_ratio: hitRatio(totals.hits, totals.misses),
      namespaces,
    };
  }
}
