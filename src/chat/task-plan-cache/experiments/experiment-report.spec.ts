import { PolicyCounters } from '../task-plan-policy.js';
import { experimentReport, type VariantInput } from './experiment-report.js';

const settings = { ttlMs: 3_600_000, graceMs: 86_400_000, minGenerationMs: 2000, earlyRefresh: 0.8 };

function variant(name: string, hits: number, misses: number): VariantInput {
  const counters = Object.assign(new PolicyCounters(), {
    requests: hits + misses,
    hits,
    misses,
    savedMs: hits * 2500,
    savedInputTokens: hits * 100,
    savedOutputTokens: hits * 300,
    latencyMsSum: (hits + misses) * 4,
    servedAgeMsSum: hits * 60_000,
  });
  return { name, weight: 1, settings, counters };
}

describe('experimentReport', () => {
  it('names the variant significantly better than the control as the winner', () => {
    const report = experimentReport(
      't',
      [variant('control', 500, 500), variant('b', 600, 400), variant('c', 510, 490)],
      true,
    );
    expect(report.winner).toBe('b');
    expect(report.variants[1]).toMatchObject({
      name: 'b',
      hit_ratio: 0.6,
      generation_seconds_saved: 1500,
      tokens_saved_per_1000_requests: 240_000,
      mean_latency_ms: 4,
      mean_served_age_seconds: 60,
      policy: { ttl: 3600, min_gen_time: 2, grace: 86400, early_refresh: 0.8 },
      vs_control: { difference: 0.1, significant: true },
    });
    expect(report.variants[2].vs_control?.significant).toBe(false);
  });

  it('names the control when every other variant is significantly worse, and nobody while the data cannot tell', () => {
    expect(experimentReport('t', [variant('control', 700, 300), variant('b', 500, 500)], false).winner).toBe('control');
    expect(experimentReport('t', [variant('control', 5, 5), variant('b', 6, 4)], false).winner).toBeNull();
    expect(experimentReport('t', [variant('control', 0, 0), variant('b', 0, 0)], false)).toMatchObject({
      winner: null,
      variants: [
        { hit_ratio: 0, hit_ratio_ci95: [0, 1], mean_latency_ms: null, vs_control: null },
        { vs_control: null },
      ],
    });
  });
});
