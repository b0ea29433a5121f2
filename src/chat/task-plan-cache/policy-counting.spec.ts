import { AppConfig } from '../../config/app-config.js';
import type { PlanExperiments } from './experiments/plan-experiments.js';
import type { GeneratedPlan } from './generated-plan.js';
import { PlanDemand } from './plan-demand.js';
import { PolicyCounting } from './policy-counting.js';
import { TaskPlanCache } from './task-plan-cache.js';
import { TaskPlanEntries } from './task-plan-entries.js';
import { TaskPlanKey } from './task-plan-key.js';
import { TaskPlanPolicy } from './task-plan-policy.js';

const plan: GeneratedPlan = {
  text: '1. Ship',
  generationMs: 5000,
  truncated: false,
  usage: { input_tokens: 100, output_tokens: 300, estimated: false },
};

function setUp() {
  const config = AppConfig.from({});
  const namespace = new TaskPlanEntries('plan', { enabled: true, maxEntries: 100, ttlMs: 3600000 });
  const settings = { ttlMs: 60_000, graceMs: 600_000, minGenerationMs: 2000, earlyRefresh: 0 };
  const control = new TaskPlanPolicy('control', settings);
  const short = new TaskPlanPolicy('short-ttl', { ...settings, ttlMs: 1 });
  // Only the list of policies is read: a running experiment's, without its file.
  new PolicyCounting(namespace, { policies: [control, short] } as unknown as PlanExperiments);
  return { cache: new TaskPlanCache(config, namespace, new PlanDemand(namespace)), namespace, control, short };
}

describe('PolicyCounting', () => {
  const identity = TaskPlanKey.identify('Ship the release', 'ctx');

  it('counts each variant’s hits, misses and stale answers from the events its requests made', async () => {
    const { cache, control, short } = setUp();
    await cache.store(identity, plan, await cache.stamp(identity), { policy: control });
    const now = Date.now() + 10;
    cache.lookup(identity, control, { now });
    // The same entry, judged expired by the variant of the shorter TTL: a miss, then a stale answer.
    const expired = cache.lookup(identity, short, { now });
    cache.recordStaleAnswer(identity, short, expired.fallback!);
    expect(control.counters).toMatchObject({ hits: 1, misses: 0, stale: 0, savedMs: 5000, savedInputTokens: 100 });
    expect(short.counters).toMatchObject({ hits: 0, misses: 1, stale: 1, savedMs: 0 });
  });

  it('leaves every variant alone for events that name none (the engine’s own)', () => {
    const { namespace, control, short } = setUp();
    namespace.record({ type: 'miss', namespace: 'plan', key: identity.key });
    expect(namespace.snapshot().misses).toBe(1);
    expect([control.counters.misses, short.counters.misses]).toEqual([0, 0]);
  });
});
