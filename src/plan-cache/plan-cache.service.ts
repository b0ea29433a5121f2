import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { CacheNamespace } from './cache/cache-namespace.js';
import { hitRatio, type NamespaceStatsSnapshot } from './cache/namespace-counters.js';
import { PLAN_LIST_CACHE, TASK_PLAN_CACHE } from './plan-cache.tokens.js';
import type { RedisConnection } from './redis/redis-connection.js';
import type { BreakerState } from './redis/redis-guard.js';
import { REDIS_CONNECTION } from './redis/redis.providers.js';
import type { HitTally } from '../chat/task-plan-cache/hit-tally.js';
import { ScopeCounters } from '../chat/task-plan-cache/scope-counters.js';

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
  scopes: ScopeStats[];
  namespaces: Record<string, NamespaceStats>;
};

type SavedWork = Pick<HitTally, 'savedInputTokens' | 'savedOutputTokens' | 'savedMs'>;

/** The task plans of one cache scope: the public one, a tenant's, or the tenants beyond those counted apart. */
export interface ScopeStats {
  scope: 'shared' | 'tenant' | 'other_tenants';
  tenant: string | null;
  hits: number;
  misses: number;
  hit_ratio: number;
  savings: CacheSavings;
}

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
    private readonly scopes: ScopeCounters,
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
      scopes: this.#scopes(),
      namespaces,
    };
  }

  #savings(): CacheSavings {
    const total: SavedWork = { savedInputTokens: 0, savedOutputTokens: 0, savedMs: 0 };
    for (const tally of this.scopes.all()) {
      total.savedInputTokens += tally.savedInputTokens;
      total.savedOutputTokens += tally.savedOutputTokens;
      total.savedMs += tally.savedMs;
    }
    return this.#priced(total);
  }

  #scopes(): ScopeStats[] {
    const of = (scope: ScopeStats['scope'], tenant: string | null, tally: HitTally): ScopeStats => ({
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

  #priced({ savedInputTokens, savedOutputTokens, savedMs }: SavedWork): CacheSavings {
    const { inputPerMillionTokens, outputPerMillionTokens } = this.config.prices;
    return {
      input_tokens: savedInputTokens,
      output_tokens: savedOutputTokens,
      generation_seconds: Math.round(savedMs) / 1000,
      cost: Math.round(savedInputTokens * inputPerMillionTokens + savedOutputTokens * outputPerMillionTokens) / 1e6,
    };
  }
}
