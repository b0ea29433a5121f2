import { wilsonInterval } from '../task-plan-cache/experiments/proportion-statistics.js';

/** One check of a semantic hit: how similar the goals were, and whether the plan was wrong for it. */
export interface Observation {
  similarity: number;
  wrong: boolean;
}

export interface ThresholdSettings {
  /** PLAN_CACHE_SEMANTIC_THRESHOLD: what an entry without enough observations must pass. */
  global: number;
  /** PLAN_CACHE_SEMANTIC_MAX_ERROR (δ). */
  maxError: number;
  /** PLAN_CACHE_SEMANTIC_MIN_OBSERVATIONS. */
  minObservations: number;
}

/** Just above a similarity: a goal that far from the entry's was served a wrong plan. */
const ABOVE = 1e-6;

/**
 * The similarity an entry's near-duplicates must reach, learned from its observations (after
 * vCache, which learns a threshold per cached prompt to keep a chosen error rate):
 *
 * - never at or below a similarity where the entry's plan was wrong, until enough correct
 *   observations above it outweigh that error;
 * - with at least `minObservations`, the lowest similarity t such that, among the observations at
 *   t or above, the upper bound of the 95 % Wilson interval of the error rate is at most δ: so the
 *   threshold falls below the global one only when the evidence says the error stays under δ;
 * - otherwise the global threshold, raised above any wrong observation.
 */
export function learnedThreshold(observations: readonly Observation[], settings: ThresholdSettings): number {
  const wrongAt = observations.reduce((max, o) => (o.wrong ? Math.max(max, o.similarity) : max), -Infinity);
  const guarded = Math.max(settings.global, wrongAt + ABOVE);
  if (observations.length < settings.minObservations) return guarded;
  const bySimilarity = [...observations].sort((a, b) => b.similarity - a.similarity);
  let best: number | undefined;
  let errors = 0;
  for (let i = 0; i < bySimilarity.length; i++) {
    if (bySimilarity[i].wrong) errors++;
    // Only where the next observation is less similar: a threshold is between observations.
    if (i + 1 < bySimilarity.length && bySimilarity[i + 1].similarity === bySimilarity[i].similarity) continue;
    const [, upper] = wilsonInterval(errors, i + 1);
    if (upper <= settings.maxError) best = bySimilarity[i].similarity;
  }
  return best ?? guarded;
}

/** An entry's observations, apart by whom they come from. */
export interface EntryObservations {
  /** Verification and near misses: the service compared two plans itself. */
  checked: readonly Observation[];
  /** Clients' words. */
  feedback: readonly Observation[];
}

/**
 * The threshold of an entry when clients' words count too. Checks decide where it may fall; a
 * client's report of a wrong plan may raise it; a client's confirmation may only undo what such
 * reports raised, down to the global threshold and never under it nor under what checks learned:
 * confirmations are words anyone signed in can send, checks are evidence.
 */
export function entryThreshold({ checked, feedback }: EntryObservations, settings: ThresholdSettings): number {
  const fromChecks = learnedThreshold(checked, settings);
  if (feedback.length === 0) return fromChecks;
  const reports = feedback.filter((observation) => observation.wrong);
  const withReports = learnedThreshold([...checked, ...reports], settings);
  const withConfirmations = learnedThreshold([...checked, ...feedback], settings);
  return Math.max(fromChecks, Math.min(withReports, Math.max(withConfirmations, settings.global)));
}
