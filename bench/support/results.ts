import type { LoadResult } from './load.js';

/** One measured load scenario, with the baseline it is compared to. */
export interface ScenarioResult {
  name: string;
  load: LoadResult;
  /** rps of the scenario over rps of these baselines (same run, same bytes). */
  ratios: Record<string, number>;
  /** What else the scenario measured, e.g. its hit ratio. */
  notes?: Record<string, string | number>;
}

export interface TargetResult {
  target: string;
  measured: string;
  met: boolean;
  /** The runs behind the figure where the server used under 90 % of a core: the client, not the server, was the limit. */
  unsaturated?: string[];
}

export interface StressResult {
  name: string;
  outcome: string;
  passed: boolean;
}

export interface BenchReport {
  machine: Record<string, string>;
  scenarios: ScenarioResult[];
  targets: TargetResult[];
  stress: StressResult[];
  micro: Record<string, string | number>[];
  profile: { function: string; location: string; selfPercent: number }[];
}

export const ratio = (value: number, over: number): number => Math.round((value / over) * 100) / 100;
