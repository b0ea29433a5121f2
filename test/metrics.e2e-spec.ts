import { spawnSync } from 'node:child_process';
import { metricSeries, metricsText } from './support/metrics-text.js';
import { useOpenAiApp } from './support/openai-app.js';
import { askPlan } from './support/plan-requests.js';
import { describeWith, PROMTOOL } from './support/services.js';
import { bearer, useTestApp } from './support/test-app.js';

describe('Metrics', () => {
  const { app, openai } = useOpenAiApp({ PLANNER_REQUIRED: 'false', PLANNER_PROBE_INTERVAL_MS: '300' });
  let text = '';
  /** The scrape after the requests below, by series. */
  let scraped = new Map<string, number>();

  beforeAll(async () => {
    openai.reset();
    openai.latencyMs = 250;
    const http = app().http;
    await http.get('/api/plans').expect(200);
    await http.get('/api/plans').expect(200);
    await http.get('/api/plans/1').expect(200);
    await http.get('/api/plans/2').expect(200);
    await http.get('/api/plans/999').expect(404);
    await askPlan(app(), 'measured').expect(200);
    await askPlan(app(), 'measured').expect(200);
    openai.failWith = { status: 500, message: 'down' };
    await askPlan(app(), 'failed').expect(503);
    openai.failWith = undefined;
    await http.patch('/api/plans/3').set(bearer()).send({ price: '20.00' }).expect(200);
    const response = await http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    text = response.text;
    scraped = metricSeries(text);
  });

  it('counts cache lookups by namespace, tier and result', () => {
    expect(scraped.get('plan_cache_requests_total{namespace="plans",tier="l1",result="hit"}')).toBeGreaterThanOrEqual(
      1,
    );
    expect(
      scraped.get('plan_cache_requests_total{namespace="plans",tier="source",result="miss"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(scraped.get('plan_cache_requests_total{namespace="plan",tier="l1",result="hit"}')).toBe(1);
    expect(scraped.get('plan_cache_requests_total{namespace="plan",tier="source",result="miss"}')).toBe(2);
    expect(scraped.get('plan_cache_sets_total{namespace="plan"}')).toBe(1);
    expect(scraped.get('plan_cache_invalidations_total{namespace="plans",source="local"}')).toBe(4);
    expect(scraped.get('plan_cache_invalidations_total{namespace="plans",source="bus"}')).toBe(0);
    expect(scraped.get('plan_cache_entries{namespace="plan",tier="l1"}')).toBe(1);
    expect(scraped.get('plan_cache_redis_connected')).toBe(0);
  });

  it('measures planner calls by provider and outcome, and counts failures', () => {
    expect(scraped.get('planner_generation_seconds_count{provider="openai",outcome="success"}')).toBe(1);
    expect(scraped.get('planner_generation_seconds_count{provider="openai",outcome="unavailable"}')).toBe(1);
    expect(scraped.get('planner_errors_total{provider="openai",kind="unavailable"}')).toBe(1);
    expect(scraped.get('planner_in_flight{provider="openai"}')).toBe(0);
  });

  it('measures HTTP requests by route template, never by raw path', () => {
    expect(
      scraped.get('http_request_duration_seconds_count{method="GET",route="/api/plans/:id",status_code="200"}'),
    ).toBe(2);
    expect(
      scraped.get('http_request_duration_seconds_count{method="GET",route="/api/plans/:id",status_code="404"}'),
    ).toBe(1);
    expect(text).not.toContain('route="/api/plans/1"');
  });

  it('includes the process metrics', () => {
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('keeps counters counting up across scrapes', async () => {
    await app().http.get('/api/plans').expect(200); // loads again after the PATCH above
    const before = await metricsText(app());
    await app().http.get('/api/plans').expect(200);
    const again = await metricsText(app());
    const series = 'plan_cache_requests_total{namespace="plans",tier="l1",result="hit"}';
    expect(metricSeries(again).get(series)).toBe(metricSeries(before).get(series)! + 1);
    expect(metricSeries(before).get(series)).toBeGreaterThanOrEqual(scraped.get(series)!);
  });

  it('reports a remote planner in readiness without failing it', async () => {
    const ready = await app().http.get('/health/ready').expect(200);
    expect(ready.body.details.planner).toMatchObject({ status: 'up', provider: 'openai' });
    openai.failWith = { status: 503, message: 'maintenance' };
    await new Promise((resolve) => setTimeout(resolve, 400)); // the last probe's answer has gone
    const degraded = await app().http.get('/health/ready').expect(200);
    expect(degraded.body.details.planner).toMatchObject({
      status: 'degraded',
      message: 'The planner answered HTTP 503',
    });
  });

  describeWith(PROMTOOL)('checked by promtool', () => {
    it('passes promtool check metrics', () => {
      const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(check.stdout + check.stderr).toBe('');
      expect(check.status).toBe(0);
    });
  });
});

describe('Metrics switched off', () => {
  const app = useTestApp({ METRICS_ENABLED: 'false' });

  it('answers /metrics with 404 saying how to switch them on, and serves everything else', async () => {
    await app().http.get('/api/plans').expect(200);
    const { body } = await app().http.get('/metrics').expect(404);
    expect(body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Metrics are off: set METRICS_ENABLED=true' });
  });
});

describe('Readiness of a remote planner under frequent probes', () => {
  const { app, openai } = useOpenAiApp({ PLANNER_PROBE_INTERVAL_MS: '60000' });

  it('asks the planner at most once per interval, however often the orchestrator probes', async () => {
    const probes = await Promise.all(Array.from({ length: 10 }, () => app().http.get('/health/ready')));
    for (let i = 0; i < 10; i++) probes.push(await app().http.get('/health/ready'));
    expect(probes.every((probe) => probe.status === 200 && probe.body.details.planner.status === 'up')).toBe(true);
    expect(openai.modelCalls).toBe(1);
  });
});

describe('Counters before their first event', () => {
  const app = useTestApp({ PLAN_CACHE_SEMANTIC_ENABLED: 'true' });

  it('exports every known label combination at zero before anything happened, so that rate() sees the first burst', async () => {
    const series = metricSeries(await metricsText(app()));
    const expected = [
      'planner_errors_total{provider="builtin",kind="unavailable"}',
      'planner_errors_total{provider="builtin",kind="timeout"}',
      'planner_tokens_total{provider="builtin",direction="input"}',
      'planner_tokens_total{provider="builtin",direction="output"}',
      ...[
        'anonymous_generations',
        'authenticated_generations',
        'anonymous_chats',
        'tenant_tokens',
        'planner_queue_full',
        'planner_queue_timeout',
        'cross_site',
      ].map((reason) => `rate_limit_refusals_total{reason="${reason}"}`),
      ...['verification', 'near_miss', 'feedback'].flatMap((origin) =>
        ['agreed', 'false_hit'].map(
          (outcome) => `plan_cache_semantic_observations_total{origin="${origin}",outcome="${outcome}"}`,
        ),
      ),
      ...['language', 'numbers', 'identifiers', 'negation', 'polarity', 'direction', 'entities', 'threshold'].map(
        (reason) => `plan_cache_semantic_refusals_total{reason="${reason}"}`,
      ),
      'plan_cache_semantic_refusals_total{reason="embeddings_unavailable"}',
    ];
    expect(expected.filter((name) => series.get(name) !== 0)).toEqual([]);
  });
});
