import { AppConfig } from '../../config/app-config.js';
import { PlanExperiments } from './experiments/plan-experiments.js';
import type { GeneratedPlan } from './generated-plan.js';
import { PlanDemand } from './plan-demand.js';
import { ScopeCounters } from './scope-counters.js';
import { TaskPlanCache } from './task-plan-cache.js';
import { TaskPlanEntries } from './task-plan-entries.js';
import { TaskPlanKey } from './task-plan-key.js';

const plan: GeneratedPlan = {
  text: '1. Ship',
  generationMs: 5000,
  truncated: false,
  usage: { input_tokens: 100, output_tokens: 300, estimated: false },
};

function setUp() {
  const config = AppConfig.from({ PLAN_CACHE_TTL: '60', PLAN_CACHE_MIN_GEN_TIME: '2' });
  const namespace = new TaskPlanEntries('plan', { enabled: true, maxEntries: 100, ttlMs: 60000 });
  const scopes = new ScopeCounters(namespace);
  const cache = new TaskPlanCache(config, namespace, new PlanDemand(namespace));
  return { cache, scopes, policy: new PlanExperiments(config, null).defaultPolicy };
}

describe('ScopeCounters', () => {
  const acme = TaskPlanKey.identify('Ship the release', 'ctx', { tenant: 'acme', tag: 'a'.repeat(32) });
  const shared = TaskPlanKey.identify('Ship the release', 'ctx');

  it('counts the task plans’ hits and misses, and what the hits saved, in the scope of the key asked for', async () => {
    const { cache, scopes, policy } = setUp();
    await cache.store(acme, plan, await cache.stamp(acme), { policy });
    await cache.store(shared, plan, await cache.stamp(shared), { policy });
    cache.lookup(acme, policy, { tenant: 'acme' });
    // A tenant that asks for a plan of the shared scope counts in the shared scope.
    cache.lookup(shared, policy, { tenant: 'acme' });
    cache.lookup(shared, policy);
    cache.countMiss(TaskPlanKey.identify('Other goal', 'ctx', { tenant: 'globex', tag: 'g'.repeat(32) }), policy);
    expect(scopes.tenants.get('acme')).toMatchObject({ hits: 1, misses: 0, savedMs: 5000, savedInputTokens: 100 });
    expect(scopes.shared).toMatchObject({ hits: 2, misses: 0, savedMs: 10_000, savedOutputTokens: 600 });
    expect(scopes.tenants.get('globex')).toMatchObject({ hits: 0, misses: 1 });
  });

  it('counts the plan of a near-duplicate goal as a hit of the asking scope', async () => {
    const { cache, scopes, policy } = setUp();
    await cache.store(shared, plan, await cache.stamp(shared), { policy });
    const entry = cache.lookup(shared, policy).fresh!;
    const similar = TaskPlanKey.identify('Ship the new release', 'ctx', { tenant: 'acme', tag: 'a'.repeat(32) });
    cache.recordSimilarHit(similar, policy, { entry, tier: 'l1' }, 'acme');
    expect(scopes.tenants.get('acme')).toMatchObject({ hits: 1, savedMs: 5000 });
  });
});
