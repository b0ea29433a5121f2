import type { TestApp } from './test-app.js';

/**
 * The value of one series in the app's /metrics, 0 when absent. `labels` must all match
 * (`{reason: 'numbers'}` matches `…{reason="numbers"} 3`).
 */
export async function metricValue(app: TestApp, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = (await app.http.get('/metrics').expect(200)).text;
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const wanted = Object.entries(labels).every(([label, value]) => line.includes(`${label}="${value}"`));
    if (wanted) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
