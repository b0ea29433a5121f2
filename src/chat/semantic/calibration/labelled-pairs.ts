import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../common/index.js';

/** A labelled pair of goals: `same` when one plan serves both. */
export interface LabelledPair {
  a: string;
  b: string;
  same: boolean;
  /** paraphrase, or the kind of hard negative: numbers, versions, identifiers, negation, polarity, direction, entities, one_word, unrelated, unrelated_similar, framing_negation, typo_lookalike, verb_lookalike. */
  kind: string;
  /**
   * What makes the two goals differ: for a paraphrase framing, verb_forms, word_order, typos or
   * synonyms; for a hard negative, its kind.
   */
  category: string;
  lang: 'en' | 'ru';
}

/** bench/semantic/labelled-pairs.json: the set the matching is measured and calibrated on (kept in the repository). */
export const LABELLED_PAIRS_FILE = join(PACKAGE_ROOT, 'bench', 'semantic', 'labelled-pairs.json');

export function labelledPairs(file = LABELLED_PAIRS_FILE): LabelledPair[] {
  return JSON.parse(readFileSync(file, 'utf8')) as LabelledPair[];
}

/** The paraphrase groups of the set (a goal and the phrasings labelled the same), then every other goal alone. */
export function goalGroups(pairs: readonly LabelledPair[]): string[][] {
  const groups = new Map<string, Set<string>>();
  for (const pair of pairs.filter((p) => p.same)) {
    const group = groups.get(pair.a) ?? new Set([pair.a]);
    group.add(pair.b);
    groups.set(pair.a, group);
  }
  const grouped = new Set([...groups.values()].flatMap((group) => [...group]));
  const alone = new Set(pairs.flatMap((p) => [p.a, p.b]).filter((goal) => !grouped.has(goal)));
  return [...[...groups.values()].map((group) => [...group]), ...[...alone].map((goal) => [goal])];
}
