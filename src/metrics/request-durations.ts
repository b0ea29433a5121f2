import type { Metric, MetricObjectWithValues, MetricType, MetricValueWithName, Registry } from 'prom-client';

/** One label set's histogram: a count per bucket (the last one past every bound), their sum and count. */
export class DurationSeries {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    private readonly bounds: readonly number[],
    readonly labels: Readonly<Record<'method' | 'route' | 'status_code', string>>,
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(seconds: number): void {
    let bucket = 0;
    while (bucket < this.bounds.length && seconds > this.bounds[bucket]) bucket++;
    this.counts[bucket]++;
    this.sum += seconds;
    this.count++;
  }
}

/**
 * `http_request_duration_seconds`, observed at the cost of a bucket search: prom-client's
 * Histogram builds, validates and hashes the labels on every observation, even through a child
 * made by `labels()`, which a cached answer pays on every request. Each label set here is one
 * {@link DurationSeries}, found by the caller once per route, method and status; the scrape builds
 * what prom-client's histogram would export (cumulative `_bucket` with `le`, `_sum`, `_count`).
 */
export class RequestDurations {
  readonly name = 'http_request_duration_seconds';
  readonly help = 'HTTP requests by method, route template and status';
  readonly #series: DurationSeries[] = [];

  constructor(
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  series(method: string, route: string, status: number): DurationSeries {
    const series = new DurationSeries(this.bounds, { method, route, status_code: String(status) });
    this.#series.push(series);
    return series;
  }

  get(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    const values: MetricValueWithName<string>[] = [];
    for (const { labels, counts, sum, count } of this.#series) {
      let cumulative = 0;
      for (let bucket = 0; bucket <= this.bounds.length; bucket++) {
        cumulative += counts[bucket];
        const le = bucket < this.bounds.length ? this.bounds[bucket] : '+Inf';
        values.push({ metricName: `${this.name}_bucket`, labels: { le, ...labels }, value: cumulative });
      }
      values.push({ metricName: `${this.name}_sum`, labels, value: sum });
      values.push({ metricName: `${this.name}_count`, labels, value: count });
    }
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: 'histogram' as unknown as MetricType,
      aggregator: 'sum',
      values,
      collect: () => undefined,
    });
  }

  reset(): void {
    for (const series of this.#series) {
      series.counts.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }
}
