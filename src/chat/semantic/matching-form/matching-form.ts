import { wordsOf } from '../../../embeddings/index.js';
import { isEntitySpelling } from '../named-entities.js';
import { withoutFraming } from './framing.js';
import { GoalVocabulary, substitutionOf } from './goal-vocabulary.js';
import { isLikelyLetterSlip } from './keyboard.js';
import { lemmasOf } from './lemmas.js';
import type { Lexicon } from './lexicon.js';

/**
 * Names the rules below. It is part of the embedding model's name in every stored embedding, so
 * that vectors of goals read by other rules are never compared with these. The dictionaries and
 * the lemmatizer are pinned to exact versions in package.json: a new version of one reads goals
 * otherwise, and comes with a new name here.
 */
export const MATCHING_FORM_VERSION = 'form1';

/** The name of the vector space goal embeddings live in: the embedding model's and the matching form's. */
export const goalEmbeddingModel = (embeddingModel: string): string => `${embeddingModel}+${MATCHING_FORM_VERSION}`;

/**
 * Whether typing `meant` could have given `typed`: people rarely mistype a word's first or last
 * letter («бренды» is not «тренды», "falco" is not "falcon"), and a letter typed for another is a
 * neighbouring key or sounds alike ("repost" is not "report": s and r are neither).
 */
function isLikelySlip(typed: string, meant: string): boolean {
  if (typed[0] !== meant[0]) return false;
  const swapped = typed.length === meant.length && [...typed].sort().join('') === [...meant].sort().join('');
  if (typed.at(-1) !== meant.at(-1) && !swapped) return false;
  const substituted = substitutionOf(typed, meant);
  return !substituted || isLikelyLetterSlip(...substituted);
}

const CYRILLIC_WORD = /^[а-я]+$/u;

/**
 * A typed word taken for a typo of a cached goal's word: five to thirty plain letters (digits and
 * symbols make names), no known name, unknown to the dictionary and to the cached goals, one likely
 * slip from exactly one cached word, and, in Latin letters, that word is one the dictionary or the
 * list of names knows: two Latin words the dictionary does not know are two names ("kristen" and
 * "kirsten"), so a cached goal never rewrites another's name. "ngnix" becomes the "nginx" of a
 * cached goal, and «подписи», a word, never becomes «подписки».
 */
function corrected(word: string, vocabulary: GoalVocabulary, lexicon: Lexicon): string {
  if (!GoalVocabulary.isCandidate(word) || vocabulary.has(word) || isEntitySpelling(word)) return word;
  if (lexicon.isWord(word)) return word;
  const candidates = vocabulary.oneEditFrom(word).filter((candidate) => isLikelySlip(word, candidate));
  if (candidates.length !== 1) return word;
  const [meant] = candidates;
  // Russian goals borrow words the Russian dictionary lacks (роутер, лендинг): only Latin names need it.
  const isKnown = CYRILLIC_WORD.test(meant) || lexicon.isWord(meant) || isEntitySpelling(meant);
  return isKnown ? meant : word;
}

/**
 * A goal as semantic matching reads it: its words without the framing around the task ("could you
 * please …", «помогите, …»), typos of the cached goals' words corrected (given their vocabulary),
 * verb forms brought to one lemma. Negations, numbers and names are never touched, so every
 * identity gate reads the same facts in it. The exact key never uses it: only matching does.
 */
export function matchingFormOf(goal: string, lexicon: Lexicon, vocabulary?: GoalVocabulary): string {
  let words = withoutFraming(wordsOf(goal));
  if (vocabulary && vocabulary.size > 0) words = words.map((word) => corrected(word, vocabulary, lexicon));
  return lemmasOf(words, lexicon).join(' ');
}
