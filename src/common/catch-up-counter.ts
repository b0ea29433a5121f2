import { Counter, type Registry } from 'prom-client';

export type Sample = [labels: Record<string, string>, value: number];

/**
 * A Prometheus counter that, at scrape time, catches up with numbers that only grow (counters the
 * code keeps as plain fields), so that counting on the hot path costs an increment and no more.
 */
export function catchUpCounter(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  samples: () => Iterable<Sample>,
): void {
  const reported = new Map<string, number>();
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      for (const [labels, now] of samples()) {
        const id = JSON.stringify(labels);
        const before = reported.get(id);
        const delta = now - (before ?? 0);
        if (delta > 0) this.inc(labels, delta);
        else if (before === undefined) this.inc(labels, 0);
        reported.set(id, Math.max(now, before ?? 0));
      }
    },
  });
}
