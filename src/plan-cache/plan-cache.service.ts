import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { CacheNamespace } from './cache-namespace.js';
import { hitRatio, type NamespaceStatsSnapshot } from './namespace-stats.js';
import { PlanExperiments } from './experiments/plan-experiments.js';
import { PLAN_LIST_CACHE, TASK_PLAN_CACHE } from './plan-cache.tokens.js';
import type { RedisConnection } from './redis/redis-connection.js';
import type { BreakerState } from './redis/redis-guard.js';
import { REDIS_CONNECTION } from './redis/redis.providers.js';

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

export type NamespaceStats = NamespaceStatsSnapshot & { redis_cache_size: number | null };

export type PlanCacheStats = Pick<NamespaceStatsSnapshot, SummedField | 'enabled' | 'hit_ratio'> & {
  redis_enabled: boolean;
  redis_connected: boolean;
  /** closed: Redis is used; open: skipped after failures; half_open: trying it again. */
  redis_breaker: BreakerState | null;
  redis_cache_size: number | null;
  savings: CacheSavings;
  namespaces: Record<string, NamespaceStats>;
};

/** What the task-plan hits of this instance saved since it started. */
export interface CacheSavings {
  input_tokens: number;
  output_tokens: number;
  generation_seconds: number;
  cost: number;
}

/** The namespaces of the plan cache, their statistics and their administration. */
@Injectable()
export class PlanCacheService {
  readonly #namespaces: ReadonlyMap<string, CacheNamespace<unknown>>;

  constructor(
    private readonly config: AppConfig,
    @Inject(REDIS_CONNECTION) private readonly redis: RedisConnection | null,
    @Inject(PLAN_LIST_CACHE) planLists: CacheNamespace<unknown>,
    @Inject(TASK_PLAN_CACHE) taskPlans: CacheNamespace<unknown>,
    private readonly experiments: PlanExperiments,
  ) {
    this.#namespaces = new Map([
      [taskPlans.name, taskPlans],
      [planLists.name, planLists],
    ]);
  }

  get namespaceNames(): string[] {
    return [...this.#namespaces.keys()];
  }

  /** Every namespace, for observers such as the metrics. */
  get namespaces(): CacheNamespace<unknown>[] {
    return [...this.#namespaces.values()];
  }

  /** The Redis connection's state, or null without Redis. */
  get redisState(): { connected: boolean; breaker: BreakerState } | null {
    return this.redis ? { connected: this.redis.connected, breaker: this.redis.guard.state } : null;
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
    const entries = [...this.#namespaces].map(([name, namespace]) => {
      const stats: NamespaceStats = { ...namespace.snapshot(), redis_cache_size: namespace.sharedSize() };
      return [name, stats] as const;
    });
    const namespaces = Object.fromEntries(entries);
    const totals = Object.fromEntries(SUMMED.map((field) => [field, 0])) as Record<SummedField, number>;
    for (const snapshot of Object.values(namespaces)) for (const field of SUMMED) totals[field] += snapshot[field];
    const sizes = entries.map(([, stats]) => stats.redis_cache_size);
    return {
      enabled: this.config.taskPlanCache.enabled,
      redis_enabled: this.redis !== null,
      redis_connected: this.redis?.connected ?? false,
      redis_breaker: this.redis?.guard.state ?? null,
      redis_cache_size: sizes.includes(null) ? null : sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0),
      ...totals,
      hit_ratio: hitRatio(totals.hits, totals.misses),
      savings: this.#savings(),
      namespaces,
    };
  }

  #savings(): CacheSavings {
    const { inputPerMillionTokens, outputPerMillionTokens } = this.config.prices;
    let input = 0;
    let output = 0;
    let savedMs = 0;
    for (const { counters } of this.experiments.policies) {
      input += counters.savedInputTokens;
      output += counters.savedOutputTokens;
      savedMs += counters.savedMs;
    }
    return {
      input_tokens: input,
      output_tokens: output,
      generation_seconds: Math.round(savedMs) / 1000,
      cost: Math.round(input * inputPerMillionTokens + output * outputPerMillionTokens) / 1e6,
    };
  }
}
