import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CacheNamespaces } from './cache/cache-namespaces.js';
import { hitRatio } from './cache/namespace-counters.js';
import type { RedisConnection } from './redis/redis-connection.js';
import type { RedisTopologyState } from './redis/redis-deployment.js';
import type { BreakerState } from './redis/redis-guard.js';
import { REDIS_CONNECTION } from './redis/redis.providers.js';
import { SUMMED_FIELDS, type CacheStatsDto } from './stats/cache-stats.dto.js';
import type { NamespaceStatsDto } from './stats/namespace-stats.dto.js';

/** The engine as operators see it: the statistics of every namespace, and clearing them. */
@Injectable()
export class PlanCacheService {
  constructor(
    private readonly namespaces: CacheNamespaces,
    @Inject(REDIS_CONNECTION) private readonly redis: RedisConnection | null,
  ) {}

  /** The Redis connection's state, or null without Redis. */
  get redisState(): ({ connected: boolean; breaker: BreakerState } & RedisTopologyState) | null {
    return this.redis
      ? { connected: this.redis.connected, breaker: this.redis.guard.state, ...this.redis.state() }
      : null;
  }

  /** Clears one namespace (by name), or all of them; answers how many entries were dropped here. */
  async clear(name?: string): Promise<number> {
    const targets = name === undefined ? this.namespaces.all : [this.#named(name)];
    const cleared = await Promise.all(targets.map((namespace) => namespace.clear()));
    return cleared.reduce((sum, count) => sum + count, 0);
  }

  stats(): CacheStatsDto {
    const namespaces: Record<string, NamespaceStatsDto> = {};
    for (const namespace of this.namespaces.all) namespaces[namespace.name] = namespace.snapshot();
    const snapshots = Object.values(namespaces);
    const totals = Object.fromEntries(
      SUMMED_FIELDS.map((field) => [field, snapshots.reduce((sum, snapshot) => sum + snapshot[field], 0)]),
    ) as Record<(typeof SUMMED_FIELDS)[number], number>;
    const sizes = snapshots.map((snapshot) => snapshot.redis_cache_size);
    return {
      redis_enabled: this.redis !== null,
      redis_connected: this.redis?.connected ?? false,
      redis_breaker: this.redis?.guard.state ?? null,
      redis_cache_size: sizes.includes(null) ? null : sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0),
      ...totals,
      hit_ratio: hitRatio(totals.hits, totals.misses),
      namespaces,
    };
  }

  #named(name: string) {
    const namespace = this.namespaces.byName(name);
    if (!namespace) throw new NotFoundException(`Unknown cache namespace "${name}"`);
    return namespace;
  }
}
