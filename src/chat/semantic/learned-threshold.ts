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

/** A client's word on an entry: an observation, and a digest of who gave it (none on rows older than voters). */
export interface FeedbackObservation extends Observation {
  voter?: string;
}

/**
 * Distinct callers whose reports of a wrong plan must agree before they raise an entry's
 * threshold. One caller, however many reports it sends, cannot switch semantic reuse off for an
 * entry (a goal that differs by a comma is 0.99 similar: one report there would raise the
 * threshold to 0.99 for everyone); three, not two, so that a caller with a second account cannot
 * either.
 */
export const AGREEING_REPORTERS = 3;

/** An entry's observations, apart by whom they come from. */
export interface EntryObservations {
  /** Verification and near misses: the service compared two plans itself. */
  checked: readonly Observation[];
  /** Clients' words. */
  feedback: readonly FeedbackObservation[];
}

/**
 * The reports of a wrong plan that count: none until AGREEING_REPORTERS distinct callers sent
 * one, and then each at most as similar as the least similar of the agreeing callers' highest
 * reports, the similarity at which that many callers say the plan was wrong.
 */
export function agreedReports(feedback: readonly FeedbackObservation[]): Observation[] {
  const reports = feedback.filter((observation) => observation.wrong && observation.voter !== undefined);
  const highest = new Map<string, number>();
  for (const { voter, similarity } of reports) highest.set(voter!, Math.max(highest.get(voter!) ?? -1, similarity));
  if (highest.size < AGREEING_REPORTERS) return [];
  const agreed = [...highest.values()].sort((a, b) => b - a)[AGREEING_REPORTERS - 1];
  return reports.map(({ similarity }) => ({ similarity: Math.min(similarity, agreed), wrong: true }));
}

/**
 * The threshold of an entry when clients' words count too. Checks decide where it may fall;
 * reports of a wrong plan that enough distinct callers agree on (agreedReports) may raise it; a
 * client's confirmation may only undo what such reports raised, down to the global threshold and
 * never under it nor under what checks learned: confirmations are words anyone signed in can send,
 * checks are evidence.
 */
export function entryThreshold({ checked, feedback }: EntryObservations, settings: ThresholdSettings): number {
  const fromChecks = learnedThreshold(checked, settings);
  const reports = agreedReports(feedback);
  if (reports.length === 0) return fromChecks;
  const confirmations = feedback.filter((observation) => !observation.wrong);
  const withReports = learnedThreshold([...checked, ...reports], settings);
  const withConfirmations = learnedThreshold([...checked, ...reports, ...confirmations], settings);
  return Math.max(fromChecks, Math.min(withReports, Math.max(withConfirmations, settings.global)));
}
