import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config.js';
import { CacheNamespaces } from '../../plan-cache/cache/cache-namespaces.js';
import { PlanExperiments } from './experiments/plan-experiments.js';
import type { GeneratedPlan } from './generated-plan.js';
import { PlanDemand } from './plan-demand.js';
import { TaskPlanCache } from './task-plan-cache.js';
import { TaskPlanEntries, taskPlanEntriesProvider } from './task-plan-entries.js';
import { isTaskPlanEntryFor, TASK_PLAN_ENTRY_VERSION, type TaskPlanEntry } from './task-plan-entry.js';
import { TaskPlanKey } from './task-plan-key.js';

function setUp(variables: Record<string, string> = {}) {
  const config = AppConfig.from({
    PLAN_CACHE_TTL: '60',
    PLAN_CACHE_GRACE: '600',
    PLAN_CACHE_MIN_GEN_TIME: '2',
    ...variables,
  });
  const namespace = new TaskPlanEntries('plan', {
    enabled: config.taskPlanCache.enabled,
    maxEntries: config.taskPlanCache.maxEntries,
    ttlMs: 660_000,
  });
  const policy = new PlanExperiments(config, null).defaultPolicy;
  const cache = new TaskPlanCache(config, namespace, new PlanDemand(namespace));
  return { cache, namespace, policy };
}

/** A plan as the planner made it, in `generationMs`. */
const generated = (text: string, generationMs: number): GeneratedPlan => ({
  text,
  generationMs,
  truncated: false,
  usage: { input_tokens: 1, output_tokens: 2, estimated: false },
});

describe('TaskPlanCache', () => {
  const identity = TaskPlanKey.identify('Ship the release', 'ctx');

  it('stores a plan that took at least PLAN_CACHE_MIN_GEN_TIME and finds it fresh', async () => {
    const { cache, namespace, policy } = setUp();
    expect(await cache.store(identity, generated('1. Ship', 2000), await cache.stamp(identity), { policy })).toBe(
      'stored',
    );
    const found = cache.lookup(identity, policy);
    expect(found.fresh?.value.plan).toBe('1. Ship');
    expect(namespace.snapshot()).toMatchObject({ hits: 1, misses: 0, sets: 1 });
  });

  it('skips a plan made faster than PLAN_CACHE_MIN_GEN_TIME, and counts it', async () => {
    const { cache, namespace, policy } = setUp();
    expect(await cache.store(identity, generated('1. Ship', 1999), await cache.stamp(identity), { policy })).toBe(
      'skipped_fast',
    );
    expect(cache.lookup(identity, policy)).toEqual({});
    expect(namespace.snapshot()).toMatchObject({ skipped_fast: 1, sets: 0, misses: 1 });
  });

  it('never stores an empty plan', async () => {
    const { cache, policy } = setUp();
    expect(
      await cache.store(identity, generated(' \n ', 5000), await cache.stamp(identity), {
        policy,
      }),
    ).toBe('empty');
  });

  it('stores nothing when disabled', async () => {
    const { cache, policy } = setUp({ PLAN_CACHE_ENABLED: 'false' });
    expect(await cache.store(identity, generated('1. Ship', 5000), await cache.stamp(identity), { policy })).toBe(
      'not_storing',
    );
  });

  it('refuses a plan whose key was cleared while it was being generated', async () => {
    const { cache, policy } = setUp();
    const stamp = await cache.stamp(identity);
    await cache.forget(identity);
    expect(await cache.store(identity, generated('1. Ship', 5000), stamp, { policy })).toBe('refused');
  });

  it('offers an expired plan only as a fallback, and only within the grace period', async () => {
    const { cache, policy } = setUp();
    await cache.store(identity, generated('1. Ship', 5000), await cache.stamp(identity), { policy });
    const now = Date.now();
    expect(cache.lookup(identity, policy, { now: now + 59_000 }).fresh).toBeDefined();
    const expired = cache.lookup(identity, policy, { now: now + 61_000 });
    expect(expired.fresh).toBeUndefined();
    expect(expired.fallback?.value.plan).toBe('1. Ship');
    expect(cache.lookup(identity, policy, { now: now + 661_000 })).toEqual({});
  });

  it('does not count a fresh plan as a hit when the client asks to regenerate', async () => {
    const { cache, namespace, policy } = setUp();
    await cache.store(identity, generated('1. Ship', 5000), await cache.stamp(identity), { policy });
    const found = cache.lookup(identity, policy, { bypass: true });
    expect(found.fresh).toBeUndefined();
    expect(found.fallback?.value.plan).toBe('1. Ship');
    expect(namespace.snapshot()).toMatchObject({ hits: 0, misses: 1 });
  });

  it('treats an entry for another goal or context under the same key as a miss', async () => {
    const { cache, namespace, policy } = setUp();
    const planted: TaskPlanEntry = {
      v: TASK_PLAN_ENTRY_VERSION,
      goal: 'something else',
      context_hash: identity.contextHash,
      plan: 'wrong plan',
      generation_ms: 3000,
    };
    await namespace.set(identity.key, planted, await namespace.stamp(identity.key));
    expect(cache.lookup(identity, policy)).toEqual({});
  });

  it('treats an entry of the first version, which carried copies of its own life, as a miss', async () => {
    const { cache, namespace, policy } = setUp();
    const now = Date.now();
    const older = {
      v: 1,
      goal: identity.goal,
      context_hash: identity.contextHash,
      plan: '1. Ship',
      created_at: now,
      fresh_until: now + 60_000,
      generation_ms: 3000,
    } as unknown as TaskPlanEntry;
    await namespace.set(identity.key, older, await namespace.stamp(identity.key));
    expect(cache.lookup(identity, policy)).toEqual({});
  });
});

describe('TaskPlanCache under an experiment of TTLs', () => {
  const identity = TaskPlanKey.identify('Ship the release', 'ctx');
  const dir = mkdtempSync(join(tmpdir(), 'plan-experiment-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The namespace as the service declares it, over the policies of a control (TTL 60 s) and a variant (TTL 10 s). */
  async function setUpExperiment() {
    const file = join(dir, 'experiment.json');
    const variants = [
      { name: 'control', weight: 1 },
      { name: 'short', weight: 1, ttl: 10 },
    ];
    writeFileSync(file, JSON.stringify({ name: 'ttl', variants }));
    const config = AppConfig.from({
      PLAN_CACHE_TTL: '60',
      PLAN_CACHE_GRACE: '600',
      PLAN_CACHE_EXPERIMENTS_FILE: file,
    });
    const experiments = new PlanExperiments(config, null);
    const namespace = await taskPlanEntriesProvider.useFactory(
      new CacheNamespaces(config, null, null),
      config,
      experiments,
    );
    const cache = new TaskPlanCache(config, namespace, new PlanDemand(namespace));
    const [control, short] = experiments.policies;
    return { cache, control, short };
  }

  it('lets each policy judge the same entry by its own TTL, whichever policy stored it', async () => {
    const { cache, control, short } = await setUpExperiment();
    await cache.store(identity, generated('1. Ship', 5000), await cache.stamp(identity), { policy: short });
    const now = Date.now();
    expect(cache.lookup(identity, short, { now: now + 5_000 }).fresh?.value.plan).toBe('1. Ship');
    const forShort = cache.lookup(identity, short, { now: now + 30_000 });
    expect(forShort.fresh).toBeUndefined();
    expect(forShort.fallback?.value.plan).toBe('1. Ship');
    expect(cache.lookup(identity, control, { now: now + 30_000 }).fresh?.value.plan).toBe('1. Ship');
    expect(cache.lookup(identity, control, { now: now + 61_000 }).fresh).toBeUndefined();
  });

  it('narrows any policy’s freshness to the request’s max-age', async () => {
    const { cache, control } = await setUpExperiment();
    await cache.store(identity, generated('1. Ship', 5000), await cache.stamp(identity), { policy: control });
    const now = Date.now();
    expect(cache.lookup(identity, control, { now: now + 30_000, maxAgeMs: 20_000 }).fresh).toBeUndefined();
    expect(cache.lookup(identity, control, { now: now + 30_000, maxAgeMs: 40_000 }).fresh).toBeDefined();
  });
});

describe('isTaskPlanEntryFor', () => {
  const identity = TaskPlanKey.identify('Goal', 'ctx');
  const valid: TaskPlanEntry = {
    v: TASK_PLAN_ENTRY_VERSION,
    goal: 'goal',
    context_hash: identity.contextHash,
    plan: '1. Do it',
    generation_ms: 3,
  };

  it('accepts the entry of exactly this goal and context', () => {
    expect(isTaskPlanEntryFor(valid, identity)).toBe(true);
  });

  it.each([
    ['another goal', { goal: 'other' }],
    ['another context', { context_hash: 'abc' }],
    ['another format version', { v: 2 }],
    ['the first format version', { v: 1 }],
    ['an empty plan', { plan: '  ' }],
    ['a plan that is not text', { plan: ['1. Do it'] }],
    ['a generation time that is not a number', { generation_ms: '3' }],
  ])('refuses %s', (_case, change) => {
    expect(isTaskPlanEntryFor({ ...valid, ...change }, identity)).toBe(false);
  });

  it.each([null, 'plan', 42, []])('refuses %p', (value) => {
    expect(isTaskPlanEntryFor(value, identity)).toBe(false);
  });
});
