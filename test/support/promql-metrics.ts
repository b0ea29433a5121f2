/** What PromQL reads that is not a metric: keywords, aggregation modifiers. */
const NOT_METRICS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads: strings, label matchers, grouping clauses and range
 * durations removed, then every identifier that is not a function call or a keyword.
 */
export function metricNamesIn(expression: string): string[] {
  const stripped = expression
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(?:by|without|on|ignoring)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(?=\s*(\(?))/g)) {
    const isCall = /^\s*\(/.test(stripped.slice(match.index + match[0].length));
    if (!isCall && !NOT_METRICS.has(match[0])) names.add(match[0]);
  }
  return [...names];
}

/** The series names /metrics can show: each metric, and a histogram's _bucket, _sum and _count. */
export function exportedSeries(metricsText: string): Set<string> {
  const series = new Set<string>();
  for (const [, name, type] of metricsText.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    series.add(name);
    if (type === 'histogram' || type === 'summary')
      for (const suffix of ['_bucket', '_sum', '_count']) series.add(`${name}${suffix}`);
  }
  return series;
}
