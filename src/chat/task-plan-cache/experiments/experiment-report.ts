import type { PolicyCounters, PolicySettings } from '../task-plan-policy.js';
import { twoProportionZTest, wilsonInterval } from './proportion-statistics.js';

const SIGNIFICANCE = 0.05;

export interface VariantInput {
  name: string;
  weight: number;
  settings: PolicySettings;
  counters: PolicyCounters;
}

export interface VariantReport {
  name: string;
  weight: number;
  policy: { ttl: number; min_gen_time: number; grace: number; early_refresh: number };
  requests: number;
  hits: number;
  misses: number;
  stale: number;
  planner_calls: number;
  generation_seconds_saved: number;
  /** Planner tokens (input and output) the variant's hits saved, per thousand of its requests. */
  tokens_saved_per_1000_requests: number | null;
  mean_latency_ms: number | null;
  mean_served_age_seconds: number | null;
  hit_ratio: number;
  hit_ratio_ci95: [number, number];
  vs_control: { difference: number; z: number; p_value: number; significant: boolean } | null;
}

export interface ExperimentReport {
  experiment: string;
  control: string;
  /** Counts summed over every instance through Redis; false: this instance's counts only. */
  shared: boolean;
  variants: VariantReport[];
  /**
   * The variant whose hit ratio beats the control's significantly (p < 0.05), the best of them;
   * the control when every other variant is significantly worse; null while the data cannot tell.
   */
  winner: string | null;
}

/** The numbers an operator reads a winner off: per variant, its hit ratio with a 95 % interval and a z-test against the control. */
export function experimentReport(experiment: string, variants: VariantInput[], shared: boolean): ExperimentReport {
  const [control] = variants;
  const trials = (c: PolicyCounters) => ({ successes: c.hits, trials: c.hits + c.misses });
  const reports = variants.map((variant, index): VariantReport => {
    const c = variant.counters;
    const test = index === 0 ? null : twoProportionZTest(trials(c), trials(control.counters));
    const served = c.hits + c.stale;
    return {
      name: variant.name,
      weight: variant.weight,
      policy: {
        ttl: variant.settings.ttlMs / 1000,
        min_gen_time: variant.settings.minGenerationMs / 1000,
        grace: variant.settings.graceMs / 1000,
        early_refresh: variant.settings.earlyRefresh,
      },
      requests: c.requests,
      hits: c.hits,
      misses: c.misses,
      stale: c.stale,
      planner_calls: c.plannerCalls,
      generation_seconds_saved: round(c.savedMs / 1000, 3),
      tokens_saved_per_1000_requests:
        c.requests === 0 ? null : round(((c.savedInputTokens + c.savedOutputTokens) * 1000) / c.requests, 1),
      mean_latency_ms: c.requests === 0 ? null : round(c.latencyMsSum / c.requests, 3),
      mean_served_age_seconds: served === 0 ? null : round(c.servedAgeMsSum / served / 1000, 3),
      hit_ratio: round(ratio(c.hits, c.hits + c.misses), 4),
      hit_ratio_ci95: wilsonInterval(c.hits, c.hits + c.misses).map((bound) => round(bound, 4)) as [number, number],
      vs_control: test && {
        difference: round(test.difference, 4),
        z: round(test.z, 3),
        p_value: round(test.pValue, 6),
        significant: test.pValue < SIGNIFICANCE,
      },
    };
  });
  return { experiment, control: control.name, shared, variants: reports, winner: winnerOf(reports) };
}

function winnerOf(reports: VariantReport[]): string | null {
  const [control, ...others] = reports;
  const better = others.filter((r) => r.vs_control?.significant && r.vs_control.difference > 0);
  if (better.length > 0) return better.reduce((best, r) => (r.hit_ratio > best.hit_ratio ? r : best)).name;
  const allWorse = others.every((r) => r.vs_control?.significant && r.vs_control.difference < 0);
  return allWorse ? control.name : null;
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
