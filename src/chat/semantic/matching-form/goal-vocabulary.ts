/** Words shorter than this are never taken for a typo: one edit makes another word of most of them. */
export const TYPO_MIN_LETTERS = 5;
/** Nor longer than this: no word of a task is, and a word's deletions cost its length squared. */
export const TYPO_MAX_LETTERS = 30;
const PLAIN_WORD = /^\p{L}+$/u;

/**
 * The words of the goals cached in one bucket, counted, with an index of their one-letter
 * deletions (symmetric delete), so that the words one edit away from a typed word are found
 * without comparing it with every word.
 */
export class GoalVocabulary {
  readonly #counts = new Map<string, number>();
  /** A word with one letter deleted (or whole), to the words it comes from. */
  readonly #deletions = new Map<string, Set<string>>();

  static isCandidate(word: string): boolean {
    return word.length >= TYPO_MIN_LETTERS && word.length <= TYPO_MAX_LETTERS && PLAIN_WORD.test(word);
  }

  get size(): number {
    return this.#counts.size;
  }

  has(word: string): boolean {
    return this.#counts.has(word);
  }

  add(words: Iterable<string>): void {
    for (const word of new Set(words)) {
      if (!GoalVocabulary.isCandidate(word)) continue;
      const count = this.#counts.get(word) ?? 0;
      this.#counts.set(word, count + 1);
      if (count > 0) continue;
      for (const deletion of deletionsOf(word)) {
        const words = this.#deletions.get(deletion);
        if (words) words.add(word);
        else this.#deletions.set(deletion, new Set([word]));
      }
    }
  }

  remove(words: Iterable<string>): void {
    for (const word of new Set(words)) {
      const count = this.#counts.get(word);
      if (count === undefined) continue;
      if (count > 1) {
        this.#counts.set(word, count - 1);
        continue;
      }
      this.#counts.delete(word);
      for (const deletion of deletionsOf(word)) {
        const words = this.#deletions.get(deletion);
        words?.delete(word);
        if (words?.size === 0) this.#deletions.delete(deletion);
      }
    }
  }

  /** The vocabulary's words one edit (insertion, deletion, substitution, transposition) from `word`. */
  oneEditFrom(word: string): string[] {
    const found = new Set<string>();
    for (const deletion of deletionsOf(word)) {
      for (const candidate of this.#deletions.get(deletion) ?? []) {
        if (candidate !== word && isOneEdit(word, candidate)) found.add(candidate);
      }
    }
    return [...found];
  }
}

/** The word itself and the word without each one of its letters. */
function deletionsOf(word: string): string[] {
  const deletions = [word];
  for (let i = 0; i < word.length; i++) deletions.push(word.slice(0, i) + word.slice(i + 1));
  return deletions;
}

/** The letters two words of one length differ in when one is substituted, typed first. */
export function substitutionOf(typed: string, meant: string): [string, string] | undefined {
  if (typed.length !== meant.length) return undefined;
  const at = [...typed].findIndex((letter, i) => letter !== meant[i]);
  if (at < 0 || typed.slice(at + 1) !== meant.slice(at + 1)) return undefined;
  return [typed[at], meant[at]];
}

/** Damerau–Levenshtein distance of exactly one between two different words. */
export function isOneEdit(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const restA = a.slice(start, endA);
  const restB = b.slice(start, endB);
  if (restA.length + restB.length === 1) return true; // one insertion or deletion
  if (restA.length === 1 && restB.length === 1) return true; // one substitution
  return restA.length === 2 && restB.length === 2 && restA[0] === restB[1] && restA[1] === restB[0];
}
