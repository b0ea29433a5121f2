import { Histogram, Registry } from 'prom-client';
import { RequestDurations } from './request-durations.js';

const BOUNDS = [0.001, 0.01, 0.1];

/** The lines of one metric in the Prometheus text, sorted (prom-client orders labels its own way). */
async function lines(registry: Registry): Promise<string[]> {
  return (await registry.metrics())
    .split('\n')
    .filter((line) => line !== '')
    .sort();
}

describe('RequestDurations', () => {
  it('exports what prom-client’s histogram exports for the same observations', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const durations = new RequestDurations(BOUNDS, ours);
    const histogram = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: BOUNDS,
      registers: [theirs],
    });
    // A value equal to a bound falls in that bound's bucket; one past every bound only in +Inf.
    const observed: [string, string, number, number][] = [
      ['GET', '/api/plans', 200, 0.001],
      ['GET', '/api/plans', 200, 0.0005],
      ['GET', '/api/plans', 304, 0.05],
      ['POST', '/api/chat/plan', 200, 2.5],
    ];
    const series = new Map<string, ReturnType<RequestDurations['series']>>();
    for (const [method, route, status, seconds] of observed) {
      const key = `${method} ${route} ${status}`;
      if (!series.has(key)) series.set(key, durations.series(method, route, status));
      series.get(key)!.observe(seconds);
      histogram.labels(method, route, String(status)).observe(seconds);
    }
    expect(await lines(ours)).toEqual(await lines(theirs));
  });

  it('keeps the default labels of its registry and starts again from zero on reset', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ instance: 'a' });
    const durations = new RequestDurations(BOUNDS, registry);
    durations.series('GET', '/health/live', 200).observe(0.002);
    expect(await lines(registry)).toContain(
      'http_request_duration_seconds_count{method="GET",route="/health/live",status_code="200",instance="a"} 1',
    );
    registry.resetMetrics();
    expect(await lines(registry)).toContain(
      'http_request_duration_seconds_count{method="GET",route="/health/live",status_code="200",instance="a"} 0',
    );
  });
});
