import { firstDisagreement, signatureOf, type IdentityGate } from '../identity-gates.js';
import { GoalVocabulary } from '../matching-form/goal-vocabulary.js';
import { matchingFormOf } from '../matching-form/matching-form.js';
import type { Lexicon } from '../matching-form/lexicon.js';
import { dot, wordsOf } from '../../../embeddings/index.js';
import { wilsonInterval } from '../../task-plan-cache/experiments/proportion-statistics.js';
import { TaskPlanKey } from '../../task-plan-cache/task-plan-key.js';
import type { LabelledPair } from './labelled-pairs.js';

/** A pair as the matcher reads it: `a` is the cached goal, `b` the goal asked, read against `a`'s words. */
export interface FormedPair extends LabelledPair {
  formA: string;
  formB: string;
}

/** A pair as the matcher sees it: the similarity of its goals and the first gate that refuses it. */
export interface ScoredPair extends FormedPair {
  similarity: number;
  gate?: IdentityGate;
}

export type Vectors = Map<string, Float32Array>;

/** The matching forms of each pair's goals, `b` with `a` as the only cached goal of its bucket. */
export function formPairs(pairs: readonly LabelledPair[], lexicon: Lexicon): FormedPair[] {
  return pairs.map((pair) => {
    const [a, b] = [TaskPlanKey.normalizeGoal(pair.a), TaskPlanKey.normalizeGoal(pair.b)];
    const vocabulary = new GoalVocabulary();
    vocabulary.add(wordsOf(a));
    return { ...pair, formA: matchingFormOf(a, lexicon), formB: matchingFormOf(b, lexicon, vocabulary) };
  });
}

export function scorePairs(pairs: readonly FormedPair[], vectors: Vectors): ScoredPair[] {
  return pairs.map((pair) => ({
    ...pair,
    similarity: dot(vectors.get(pair.formA)!, vectors.get(pair.formB)!),
    gate: firstDisagreement(signatureOf(pair.formA), signatureOf(pair.formB)),
  }));
}

export interface Rate {
  count: number;
  of: number;
  rate: number;
  low: number;
  high: number;
}

const rateOf = (count: number, of: number): Rate => {
  const [low, high] = wilsonInterval(count, of);
  return { count, of, rate: of === 0 ? 0 : count / of, low, high };
};

export interface ThresholdRow {
  threshold: number;
  /** Paraphrases served (similar enough, no gate refusing). */
  hits: Rate;
  /** Hard negatives served, with the gates. */
  falseHits: Rate;
  /** Hard negatives that would be served on similarity alone. */
  falseHitsWithoutGates: Rate;
}

export function thresholdSweep(scored: readonly ScoredPair[], thresholds: readonly number[]): ThresholdRow[] {
  const positives = scored.filter((p) => p.same);
  const negatives = scored.filter((p) => !p.same);
  return thresholds.map((threshold) => ({
    threshold,
    hits: rateOf(positives.filter((p) => p.similarity >= threshold && !p.gate).length, positives.length),
    falseHits: rateOf(negatives.filter((p) => p.similarity >= threshold && !p.gate).length, negatives.length),
    falseHitsWithoutGates: rateOf(negatives.filter((p) => p.similarity >= threshold).length, negatives.length),
  }));
}

export interface CategoryRow {
  category: string;
  same: boolean;
  pairs: number;
  /** Refused by a gate, by gate. */
  byGate: Partial<Record<IdentityGate, number>>;
  /** Refused by the threshold (the gates let them through). */
  byThreshold: number;
  /** Served: for a paraphrase a hit, for a negative a false hit; in both languages, then by language. */
  served: Rate;
  servedEn: Rate;
  servedRu: Rate;
}

/** Paraphrase categories first, then the kinds of hard negative, each as the set has them. */
export function byCategory(scored: readonly ScoredPair[], threshold: number): CategoryRow[] {
  const groups = new Map<string, ScoredPair[]>();
  for (const pair of scored) {
    const key = `${pair.same ? 0 : 1}:${pair.category}`;
    const group = groups.get(key);
    if (group) group.push(pair);
    else groups.set(key, [pair]);
  }
  return [...groups.keys()].sort().map((key) => {
    const rows = groups.get(key)!;
    const byGate: Partial<Record<IdentityGate, number>> = {};
    for (const row of rows) if (row.gate) byGate[row.gate] = (byGate[row.gate] ?? 0) + 1;
    const isServed = (p: ScoredPair) => !p.gate && p.similarity >= threshold;
    const servedIn = (lang: string) => {
      const inLang = rows.filter((p) => p.lang === lang);
      return rateOf(inLang.filter(isServed).length, inLang.length);
    };
    return {
      category: rows[0].category,
      same: rows[0].same,
      pairs: rows.length,
      byGate,
      byThreshold: rows.filter((p) => !p.gate && p.similarity < threshold).length,
      served: rateOf(rows.filter(isServed).length, rows.length),
      servedEn: servedIn('en'),
      servedRu: servedIn('ru'),
    };
  });
}
