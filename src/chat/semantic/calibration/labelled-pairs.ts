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

/**
 * The paraphrase groups of the set: goals joined by any chain of paraphrase pairs (one goal in two
 * pairs joins their groups, also across the sets the labelled set was grown from), then every
 * other goal alone.
 */
export function goalGroups(pairs: readonly LabelledPair[]): string[][] {
  const parent = new Map<string, string>();
  const rootOf = (goal: string): string => {
    let root = goal;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(goal, root);
    return root;
  };
  for (const { a, b } of pairs) for (const goal of [a, b]) if (!parent.has(goal)) parent.set(goal, goal);
  for (const { a, b, same } of pairs) if (same) parent.set(rootOf(a), rootOf(b));
  const groups = new Map<string, string[]>();
  for (const goal of parent.keys()) {
    const root = rootOf(goal);
    groups.set(root, [...(groups.get(root) ?? []), goal]);
  }
  return [...groups.values()];
}
