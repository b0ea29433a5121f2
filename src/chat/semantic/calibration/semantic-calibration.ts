import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { thresholdSweep, type Rate, type ScoredPair, type ThresholdRow } from './match-quality.js';

/** A global threshold measured for one embedding model on the labelled set, as the service reads it at start-up. */
export interface SemanticCalibration {
  /** The goal embeddings' model (embedding model and matching form) it was measured with. */
  model: string;
  /** The lowest threshold whose false-hit rate has an upper 95 % bound under maxError. */
  threshold: number;
  maxError: number;
  paraphrasesServed: Rate;
  falseHits: Rate;
  pairs: number;
  calibratedAt: string;
  /** Every threshold tried, for the operator's eyes. */
  sweep: ThresholdRow[];
}

/** Thresholds tried, 0.50 to 0.99 by hundredths. */
export const CALIBRATION_THRESHOLDS = Array.from({ length: 50 }, (_, i) => Math.round((0.5 + i / 100) * 100) / 100);

/**
 * The lowest threshold at which the hard negatives served (gates on) keep the upper 95 % Wilson
 * bound of their rate under `maxError`; undefined when none does (too few negatives for that
 * bound, or a model that serves them at every threshold). False hits only fall as the threshold
 * rises, so the lowest such threshold is the one that serves the most paraphrases safely.
 */
export function calibrate(
  scored: readonly ScoredPair[],
  model: string,
  maxError: number,
  now = new Date(),
): SemanticCalibration | undefined {
  const sweep = thresholdSweep(scored, CALIBRATION_THRESHOLDS);
  const chosen = sweep.find((row) => row.falseHits.high < maxError);
  if (!chosen) return undefined;
  return {
    model,
    threshold: chosen.threshold,
    maxError,
    paraphrasesServed: chosen.hits,
    falseHits: chosen.falseHits,
    pairs: scored.length,
    calibratedAt: now.toISOString(),
    sweep,
  };
}

export function writeCalibration(file: string, calibration: SemanticCalibration): void {
  mkdirSync(dirname(file), { recursive: true });
  // Written whole then renamed: an instance starting meanwhile reads the old file or the new one.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(calibration, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** What a calibration file says to a service embedding with `model` under `maxError`. */
export type CalibrationReading =
  | { kind: 'none' }
  | { kind: 'used'; threshold: number; calibration: SemanticCalibration }
  | { kind: 'refused'; reason: string };

export function readCalibration(file: string, model: string, maxError: number): CalibrationReading {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'refused', reason: `it cannot be read (${(error as Error).message})` };
  }
  let calibration: Partial<SemanticCalibration>;
  try {
    calibration = JSON.parse(text) as Partial<SemanticCalibration>;
  } catch {
    return { kind: 'refused', reason: 'it is not JSON' };
  }
  const { threshold } = calibration;
  if (typeof calibration.model !== 'string' || typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) {
    return { kind: 'refused', reason: 'it names no model or no threshold in (0, 1]' };
  }
  if (calibration.model !== model) {
    return {
      kind: 'refused',
      reason: `it was made for the model ${calibration.model}, and this service embeds with ${model}`,
    };
  }
  if (typeof calibration.maxError !== 'number' || calibration.maxError > maxError) {
    return {
      kind: 'refused',
      reason: `it keeps false hits under ${String(calibration.maxError)}, looser than PLAN_CACHE_SEMANTIC_MAX_ERROR=${maxError}`,
    };
  }
  return { kind: 'used', threshold, calibration: calibration as SemanticCalibration };
}
