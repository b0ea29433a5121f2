import { Registry } from 'prom-client';
import { AppConfig } from '../../config/app-config.js';
import { PlanExperiments } from './experiments/plan-experiments.js';
import type { GeneratedPlan } from './generated-plan.js';
import { PlanDemand } from './plan-demand.js';
import { SavingsMetrics } from './savings.metrics.js';
import { TaskPlanCache } from './task-plan-cache.js';
import { TaskPlanEntries } from './task-plan-entries.js';
import { TaskPlanKey } from './task-plan-key.js';

const plan: GeneratedPlan = {
  text: '1. Ship',
  generationMs: 5000,
  truncated: false,
  usage: { input_tokens: 100, output_tokens: 300, estimated: false },
};

describe('SavingsMetrics', () => {
  it('adds what each task-plan hit saved to the series of the asking tenant, whatever the scope of the plan', async () => {
    const config = AppConfig.from({
      METRICS_TENANT_LABEL: 'true',
      METRICS_TOKEN: 'm'.repeat(32),
      PLANNER_PRICE_INPUT_PER_MTOK: '2',
      PLANNER_PRICE_OUTPUT_PER_MTOK: '10',
    });
    const registry = new Registry();
    const namespace = new TaskPlanEntries('plan', { enabled: true, maxEntries: 100, ttlMs: 3600000 });
    new SavingsMetrics(registry, config, namespace);
    const cache = new TaskPlanCache(config, namespace, new PlanDemand(namespace));
    const policy = new PlanExperiments(config, null).defaultPolicy;
    const shared = TaskPlanKey.identify('Ship the release', 'ctx');
    await cache.store(shared, plan, await cache.stamp(shared), { policy });

    cache.lookup(shared, policy, { tenant: 'acme' });
    cache.freshInMemory(shared, policy, { tenant: 'acme' });
    const entry = cache.lookup(shared, policy).fresh!;
    cache.recordSimilarHit(TaskPlanKey.identify('Ship it', 'ctx'), policy, { entry, tier: 'l1' }, 'globex');
    cache.countMiss(TaskPlanKey.identify('Unknown goal', 'ctx'), policy);

    const text = await registry.metrics();
    expect(text).toContain('plan_cache_saved_tokens_total{tenant="acme",direction="input"} 200');
    expect(text).toContain('plan_cache_saved_tokens_total{tenant="acme",direction="output"} 600');
    expect(text).toContain('plan_cache_saved_seconds_total{tenant="acme"} 10');
    expect(text).toContain('plan_cache_saved_cost_total{tenant="acme"} 0.0064');
    expect(text).toContain('plan_cache_saved_tokens_total{tenant="globex",direction="input"} 100');
    // A hit without a tenant (anonymous, the operator) is another's.
    expect(text).toContain('plan_cache_saved_tokens_total{tenant="other",direction="input"} 100');
  });
});
