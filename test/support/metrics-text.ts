import type { TestApp } from './test-app.js';

/** The app's /metrics as Prometheus text; `headers` for an app that asks for a metrics token. */
export async function metricsText(app: TestApp, headers: Record<string, string> = {}): Promise<string> {
  return (await app.http.get('/metrics').set(headers).expect(200)).text;
}

/** Every series of a Prometheus text, named as written (`name{label="value",…}`), with its value. */
export function metricSeries(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    series.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return series;
}

/**
 * The sum of the series of `name` in a Prometheus text whose labels include `labels`, 0 when
 * there is none (`{reason: 'numbers'}` matches `…{reason="numbers"} 3`).
 */
export function metricValueIn(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const [series, value] of metricSeries(text)) {
    if (series !== name && !series.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([label, wanted]) => hasLabel(series, label, wanted))) total += value;
  }
  return total;
}

const hasLabel = (series: string, label: string, value: string) =>
  series.includes(`{${label}="${value}"`) || series.includes(`,${label}="${value}"`);

/** {@link metricValueIn} the app's /metrics now. */
export async function metricValue(app: TestApp, name: string, labels: Record<string, string> = {}): Promise<number> {
  return metricValueIn(await metricsText(app), name, labels);
}
