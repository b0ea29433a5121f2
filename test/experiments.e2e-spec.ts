import { clientIn, useExperimentFile, type ExperimentFile } from './support/experiment-file.js';
import { metricSeries, metricsText } from './support/metrics-text.js';
import { useOpenAiApp } from './support/openai-app.js';
import { askPlan, fetchPlan } from './support/plan-requests.js';
import { bearer, startTestApp, useTestApp } from './support/test-app.js';

const MIN_GEN_TEST: ExperimentFile = {
  name: 'min-gen',
  variants: [
    { name: 'control', weight: 1 },
    { name: 'eager', weight: 1, min_gen_time: 0 },
  ],
};

interface VariantReport {
  name: string;
  requests: number;
  hits: number;
  misses: number;
  planner_calls: number;
  hit_ratio: number;
  hit_ratio_ci95: [number, number];
  vs_control: { difference: number; p_value: number; significant: boolean } | null;
}

describe('A/B test of task-plan cache policies', () => {
  const file = useExperimentFile(MIN_GEN_TEST);
  // The control keeps only plans that took 2 s; the fake planner takes 10 ms.
  const { app, openai } = useOpenAiApp({ PLAN_CACHE_EXPERIMENTS_FILE: file, PLAN_CACHE_MIN_GEN_TIME: '2' });
  const control = clientIn(MIN_GEN_TEST, 'control');
  const eager = clientIn(MIN_GEN_TEST, 'eager');
  let goals = 0;
  const uniqueGoal = () => `Experiment goal ${++goals}`;

  beforeEach(() => (openai.latencyMs = 10));

  const report = async () =>
    (await app().http.get('/api/plan-cache/experiments').set(bearer()).expect(200)).body as {
      experiment: string;
      control: string;
      shared: boolean;
      variants: VariantReport[];
      winner: string | null;
    };

  it('keeps each client in its variant, named by X-Cache-Variant, on every request and every route', async () => {
    for (const [client, variant] of [
      [control, 'control'],
      [eager, 'eager'],
    ]) {
      const goal = uniqueGoal();
      for (let i = 0; i < 3; i++)
        expect((await askPlan(app(), goal, { 'x-client-id': client }).expect(200)).headers['x-cache-variant']).toBe(
          variant,
        );
      const stream = await fetch(`${app().url}/api/chat/stream?goal=${encodeURIComponent(goal)}`, {
        headers: { 'x-client-id': client },
      });
      expect(stream.headers.get('x-cache-variant')).toBe(variant);
      expect(stream.headers.get('vary')).toBe('Accept-Language, X-Client-Id');
      await stream.text();
    }
    // Without an id, the address decides: the same every time.
    const anonymous = await askPlan(app(), uniqueGoal()).expect(200);
    const again = await askPlan(app(), uniqueGoal()).expect(200);
    expect(['control', 'eager']).toContain(anonymous.headers['x-cache-variant']);
    expect(again.headers['x-cache-variant']).toBe(anonymous.headers['x-cache-variant']);
  });

  it('refuses a malformed X-Client-Id with 400 rather than guessing a variant', async () => {
    const { body } = await askPlan(app(), uniqueGoal(), { 'x-client-id': 'x'.repeat(129) }).expect(400);
    expect(body.message).toBe('X-Client-Id must be 1 to 128 visible ASCII characters, sent once');
  });

  it('caches for the variant with min_gen_time 0 what the control does not, and shares the plan, never a different one', async () => {
    const forControl = uniqueGoal();
    const calls = openai.calls;
    expect((await askPlan(app(), forControl, { 'x-client-id': control }).expect(200)).headers['x-cache']).toBe('MISS');
    expect((await askPlan(app(), forControl, { 'x-client-id': control }).expect(200)).headers['x-cache']).toBe('MISS');
    expect(openai.calls - calls).toBe(2);

    const forEager = uniqueGoal();
    const first = await askPlan(app(), forEager, { 'x-client-id': eager }).expect(200);
    const second = await askPlan(app(), forEager, { 'x-client-id': eager }).expect(200);
    expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['MISS', 'HIT']);
    expect(openai.calls - calls).toBe(3);
    // A policy judges entries; the plan under a key is the same for everyone.
    const seenByControl = await askPlan(app(), forEager, { 'x-client-id': control }).expect(200);
    expect(seenByControl.headers['x-cache']).toBe('HIT');
    expect(seenByControl.body.plan).toBe(first.body.plan);
  });

  it('reports per-variant counts that add up to the totals, with intervals and a z-test against the control', async () => {
    // Twenty requests for one goal in each variant: the eager variant caches after its first.
    const callsBefore = (await report()).variants.reduce((total, v) => total + v.planner_calls, 0);
    const goal = uniqueGoal();
    for (let i = 0; i < 20; i++) await askPlan(app(), goal, { 'x-client-id': eager }).expect(200);
    for (let i = 0; i < 20; i++) await askPlan(app(), `${goal} (control ${i})`, { 'x-client-id': control }).expect(200);

    const { body: stats } = await app().http.get('/api/plan-cache/stats').set(bearer()).expect(200);
    const result = await report();
    expect(result).toMatchObject({ experiment: 'min-gen', control: 'control', shared: false });
    expect(result.variants.map((v) => v.name)).toEqual(['control', 'eager']);
    const sum = (read: (v: VariantReport) => number) => result.variants.reduce((total, v) => total + read(v), 0);
    expect(sum((v) => v.hits)).toBe(stats.namespaces.plan.hits);
    expect(sum((v) => v.misses)).toBe(stats.namespaces.plan.misses);
    expect(sum((v) => v.planner_calls) - callsBefore).toBe(openai.calls);
    for (const variant of result.variants) {
      expect(variant.hits + variant.misses).toBe(variant.requests);
      expect(variant.hit_ratio_ci95[0]).toBeLessThanOrEqual(variant.hit_ratio);
      expect(variant.hit_ratio_ci95[1]).toBeGreaterThanOrEqual(variant.hit_ratio);
    }
    const [controlReport, eagerReport] = result.variants;
    expect(controlReport.vs_control).toBeNull();
    expect(eagerReport.hit_ratio).toBeGreaterThan(controlReport.hit_ratio);
    expect(eagerReport.vs_control).toMatchObject({ significant: true });
    expect(eagerReport.vs_control!.p_value).toBeLessThan(0.05);
    expect(result.winner).toBe('eager');
  });

  it('exposes the variants in /metrics', async () => {
    await askPlan(app(), uniqueGoal(), { 'x-client-id': eager }).expect(200);
    const series = metricSeries(await metricsText(app()));
    expect(series.get('plan_experiment_requests_total{experiment="min-gen",variant="eager"}')).toBeGreaterThan(0);
    expect(series.get('plan_experiment_planner_calls_total{experiment="min-gen",variant="control"}')).toEqual(
      expect.any(Number),
    );
    expect(
      series.get('plan_experiment_request_duration_seconds_count{experiment="min-gen",variant="eager"}'),
    ).toBeGreaterThan(0);
  });
});

describe('Variant assignment over many clients', () => {
  const experiment: ExperimentFile = {
    name: 'split',
    variants: [
      { name: 'control', weight: 50 },
      { name: 'b', weight: 30 },
      { name: 'c', weight: 20 },
    ],
  };
  const file = useExperimentFile(experiment);
  const app = useTestApp({
    PLAN_CACHE_EXPERIMENTS_FILE: file,
    PLAN_CACHE_MIN_GEN_TIME: '0',
    PLANS_CACHE_WARM: 'false',
  });

  it('splits 10,000 client ids near the weights, the same on another instance', async () => {
    const other = await startTestApp({
      PLAN_CACHE_EXPERIMENTS_FILE: file,
      PLANS_CACHE_WARM: 'false',
    });
    try {
      const counts: Record<string, number> = { control: 0, b: 0, c: 0 };
      const variantOf = async (url: string, id: string) => {
        const response = await fetchPlan(url, 'Split the traffic', { 'x-client-id': id });
        await response.arrayBuffer();
        return response.headers.get('x-cache-variant')!;
      };
      for (let batch = 0; batch < 100; batch++) {
        const ids = Array.from({ length: 100 }, (_, i) => `user-${batch * 100 + i}`);
        const variants = await Promise.all(ids.map((id) => variantOf(app().url, id)));
        for (const variant of variants) counts[variant]++;
        if (batch % 20 === 0) {
          const elsewhere = await Promise.all(ids.slice(0, 10).map((id) => variantOf(other.url, id)));
          expect(elsewhere).toEqual(variants.slice(0, 10));
        }
      }
      // Within three standard deviations of the binomial counts.
      expect(Math.abs(counts.control - 5000)).toBeLessThan(150);
      expect(Math.abs(counts.b - 3000)).toBeLessThan(140);
      expect(Math.abs(counts.c - 2000)).toBeLessThan(120);
      const { body: report } = await app().http.get('/api/plan-cache/experiments').set(bearer()).expect(200);
      expect(report.variants.map((v: VariantReport) => v.requests)).toEqual([counts.control, counts.b, counts.c]);
    } finally {
      await other.close();
    }
    // 10,000 requests: on a machine busy with other work, minutes rather than seconds.
  }, 240_000);
});

describe('Without an experiment', () => {
  const app = useTestApp({ PLANS_CACHE_WARM: 'false' });

  it('answers 404 at the report, sends no variant header and ignores X-Client-Id', async () => {
    const { body } = await app().http.get('/api/plan-cache/experiments').set(bearer()).expect(404);
    expect(body.message).toBe('No experiment is running: name a file of one in PLAN_CACHE_EXPERIMENTS_FILE');
    const answer = await askPlan(app(), 'No experiment here', { 'x-client-id': 'x'.repeat(500) }).expect(200);
    expect(answer.headers['x-cache-variant']).toBeUndefined();
  });
});
