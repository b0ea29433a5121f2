import { Inject, Injectable } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import { catchUpCounter, METRICS_REGISTRY } from '../common/index.js';
import type { CacheNamespace, NamespaceCounters } from '../plan-cache/index.js';
import { CacheNamespaces, PlanCacheService } from '../plan-cache/index.js';

type Series = [labels: Record<string, string>, read: (counters: Readonly<NamespaceCounters>) => number];

const BREAKER_STATES = ['closed', 'open', 'half_open'] as const;

/**
 * The cache's counters as Prometheus metrics. They are read from the namespaces' own counters
 * when Prometheus scrapes, so the cached path pays nothing for them.
 */
@Injectable()
export class PlanCacheMetrics {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry, cache: PlanCacheService, all: CacheNamespaces) {
    const namespaces = () => all.all;
    const counter = (name: string, help: string, labelNames: string[], series: Series[]) =>
      countersFrom(registry, namespaces, name, help, ['namespace', ...labelNames], series);

    counter(
      'plan_cache_requests_total',
      'Cache lookups by tier and result',
      ['tier', 'result'],
      [
        [{ tier: 'l1', result: 'hit' }, (s) => s.l1Hits],
        [{ tier: 'l2', result: 'hit' }, (s) => s.l2Hits],
        [{ tier: 'source', result: 'miss' }, (s) => s.misses - s.staleHits],
        [{ tier: 'l1', result: 'stale' }, (s) => s.staleHits],
      ],
    );
    counter('plan_cache_sets_total', 'Values stored', [], [[{}, (s) => s.sets]]);
    counter(
      'plan_cache_skipped_total',
      'Values not stored, by reason',
      ['reason'],
      [
        [{ reason: 'fast' }, (s) => s.skippedFast],
        [{ reason: 'invalidated' }, (s) => s.refusedSets],
        [{ reason: 'not_admitted' }, (s) => s.notAdmitted],
      ],
    );
    counter('plan_cache_coalesced_total', 'Requests that joined a load in flight', [], [[{}, (s) => s.coalesced]]);
    counter(
      'plan_cache_evictions_total',
      'Entries pushed out of the in-process tier by its size',
      [],
      [[{}, (s) => s.evictions]],
    );
    counter(
      'plan_cache_invalidations_total',
      'Keys invalidated, here or by another instance',
      ['source'],
      [
        [{ source: 'local' }, (s) => s.invalidations],
        [{ source: 'bus' }, (s) => s.busInvalidations],
      ],
    );

    new Gauge({
      name: 'plan_cache_entries',
      help: 'Entries held, by tier (l2 as last counted in Redis, about a second ago; an estimate)',
      labelNames: ['namespace', 'tier'],
      registers: [registry],
      collect() {
        for (const namespace of namespaces()) {
          this.set({ namespace: namespace.name, tier: 'l1' }, namespace.snapshot().local_cache_size);
          const shared = namespace.sharedSize();
          if (shared !== null) this.set({ namespace: namespace.name, tier: 'l2' }, shared);
        }
      },
    });
    new Gauge({
      name: 'plan_cache_redis_connected',
      help: '1 when the Redis tier is connected (0 when down or disabled)',
      registers: [registry],
      collect() {
        this.set(cache.redisState?.connected ? 1 : 0);
      },
    });
    new Gauge({
      name: 'plan_cache_redis_primaries',
      help: '1 for each Redis primary in use, by deployment mode (standalone, sentinel, cluster) and address',
      labelNames: ['mode', 'address'],
      registers: [registry],
      collect() {
        this.reset();
        const state = cache.redisState;
        for (const address of state?.primaries ?? []) this.set({ mode: state!.mode, address }, 1);
      },
    });
    catchUpCounter(
      registry,
      'plan_cache_redis_failovers_total',
      'Redis primary changes (promotions) this instance has seen',
      [],
      function* () {
        const state = cache.redisState;
        if (state) yield [{}, state.failovers];
      },
    );
    new Gauge({
      name: 'plan_cache_redis_fencing',
      help: '1 for whether entries are fenced across Redis failovers: on, off (the ACL user may not run INFO) or unknown (Redis has not answered yet)',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const current = cache.redisState?.fencing;
        for (const state of ['on', 'off', 'unknown'] as const) this.set({ state }, state === current ? 1 : 0);
      },
    });
    new Gauge({
      name: 'plan_cache_redis_breaker_state',
      help: "1 for the Redis circuit breaker's current state",
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const current = cache.redisState?.breaker;
        for (const state of BREAKER_STATES) this.set({ state }, state === current ? 1 : 0);
      },
    });
  }
}

/** One counter over every namespace: a series per namespace and label set. */
function countersFrom(
  registry: Registry,
  namespaces: () => CacheNamespace<unknown>[],
  name: string,
  help: string,
  labelNames: string[],
  series: Series[],
): void {
  catchUpCounter(registry, name, help, labelNames, function* () {
    for (const namespace of namespaces()) {
      for (const [labels, read] of series) yield [{ namespace: namespace.name, ...labels }, read(namespace.counters)];
    }
  });
}
