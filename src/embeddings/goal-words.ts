import { stemmer as englishStem } from '@orama/stemmers/english';
import { stemmer as russianStem } from '@orama/stemmers/russian';

/**
 * Words that carry no part of what a goal asks: articles, pronouns, polite filler, "how do I".
 * Negations (not, без) and direction words are kept out of this list on purpose: the identity
 * gates read them, and a lexical embedding should not call "with" and "without" the same.
 */
const STOP_WORDS = new Set(
  (
    'a an the this that these those my our your their its me us you we i it is are be been am ' +
    "please kindly pls could would can will shall should may might must let lets let's just " +
    'help assist want need like wish how what do does did to for of in on at by with about as and or ' +
    "i'd i'm i'll i've we'd we're we'll you're it's that's " +
    'some any so then there here also really quickly simply way ways step steps ' +
    'пожалуйста помоги помогите мне нам мой моя моё мое мои моего моей моему нашего наш наша наше наши ' +
    'ваш ваша ваше ваши я мы ты вы он она оно они это этот эта эти как что бы хочу хотим нужно надо ' +
    'можно ли для в во на по к ко у о об обо за же а и или то так также просто быстро'
  ).split(/\s+/u),
);

const PHRASAL_VERB = new RegExp(
  `\\b(${[
    'check',
    'log',
    'sign',
    'shut',
    'turn',
    'look',
    'take',
    'put',
    'call',
    'carry',
    'give',
    'pick',
    'drop',
    'sort',
    'figure',
    'find',
    'work',
    'break',
    'lay',
    'hand',
    'fill',
    'roll',
    'spin',
    'scale',
    'wind',
    'phase',
    'opt',
    'tear',
    'write',
    'print',
    'pay',
    'sell',
    'buy',
    'cash',
    'top',
    'freeze',
  ].join('|')})(?:s|e?d|[a-z]?ed|[a-z]?ing)? (in|out|on|off|up|down|over|back|into)\\b`,
  'gu',
);

/** Two-word spellings of one word, so that "set up" and "setup" agree. */
const COMPOUNDS: ReadonlyArray<[RegExp, string]> = [
  [/\bset up\b/gu, 'setup'],
  [/\bsetting up\b/gu, 'setup'],
  [/\bsign up\b/gu, 'signup'],
  [/\blog in\b/gu, 'login'],
  [/\bback up\b/gu, 'backup'],
  [/\broll out\b/gu, 'rollout'],
  [/\broll back\b/gu, 'rollback'],
  [/\bclean up\b/gu, 'cleanup'],
  [/\bfront end\b/gu, 'frontend'],
  [/\bback end\b/gu, 'backend'],
  [/\bspeed up\b/gu, 'speedup'],
  // A verb and its particle are one verb: "check in" is not "check on".
  [PHRASAL_VERB, '$1$2'],
  // \b knows ASCII letters only: Cyrillic words are bounded by look-arounds.
  [/(?<!\p{L})резервн\p{L}* копи\p{L}*/gu, 'бэкап'],
  [/(?<!\p{L})тарифн\p{L}* план\p{L}*/gu, 'тариф'],
];

/** A word with what may be glued to it: c++, c#, node.js, v1.2, #12, e-mail, don't. */
const WORD = /[#@]?[\p{L}\p{N}]+(?:[.+#\-_/'][\p{L}\p{N}]+)*[+#]*/gu;
/** An English possessive ("the subscriber's router") or a contraction of "is" or "us" (what's, let's), kept whole. */
const APOSTROPHE_S = /(?<!\p{L})(\p{L}+)'s(?!\p{L})/gu;
const CONTRACTIONS = new Set(['let', 'it', 'that', 'what', 'there', 'here', 'who', 'he', 'she', 'where', 'how']);
const withoutPossessive = (text: string): string =>
  text.replace(APOSTROPHE_S, (whole, word: string) => (CONTRACTIONS.has(word) ? whole : word));

/** Cyrillic and Latin letters drawn alike, each to the other script's. */
const LATIN_OF: Readonly<Record<string, string>> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  к: 'k',
  м: 'm',
  т: 't',
  в: 'b',
  н: 'h',
  і: 'i',
};
const CYRILLIC_OF: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(LATIN_OF).map(([cyrillic, latin]) => [latin, cyrillic]),
);
const LATIN_LETTER = /[a-z]/gu;
const CYRILLIC_LETTER = /[а-я]/gu;

/**
 * A word written in one script with a letter of the other that looks the same ("nоt" with a
 * Cyrillic о, «нe» with a Latin e): in the script of most of its letters (of its first, when
 * even), so that it reads as the word it looks like, negations included.
 */
function inOneScript(word: string): string {
  const latin = word.match(LATIN_LETTER)?.length ?? 0;
  const cyrillic = word.match(CYRILLIC_LETTER)?.length ?? 0;
  if (latin === 0 || cyrillic === 0) return word;
  const inLatin = latin === cyrillic ? /^[a-z]/u.test(word) : latin > cyrillic;
  const [foreign, map] = inLatin ? [CYRILLIC_LETTER, LATIN_OF] : [LATIN_LETTER, CYRILLIC_OF];
  return word.replace(foreign, (letter) => map[letter] ?? letter);
}

/** The words of a text, lower-cased, Unicode-normalized, in order (stop words included). */
export function wordsOf(text: string): string[] {
  let lowered = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ё/gu, 'е')
    .replace(/[’`ʼ]/gu, "'")
    // An arrow or a spaced dash between two ends is a way from one to the other: "Питер — Москва", "A -> B".
    .replace(/\s*(?:->|→)\s*|\s[-–—]\s/gu, ' to ')
    // Accents on Latin letters are style ("nót", "café"); Cyrillic й keeps its breve.
    .normalize('NFD')
    .replace(/(?<=[a-z])\p{M}+/gu, '')
    .normalize('NFC');
  lowered = withoutPossessive(lowered);
  for (const [pattern, joined] of COMPOUNDS) lowered = lowered.replace(pattern, joined);
  return (lowered.match(WORD) ?? []).map(inOneScript);
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

const CYRILLIC = /[\u0400-\u04FF]/u;
const PLAIN_WORD = /^[\p{L}]+$/u;
const HYPHENATED_WORD = /^\p{L}+(?:-\p{L}+)+$/u;

/** The stem of a word by its script (Snowball English or Russian); words with symbols stay whole. */
export function stemOf(word: string): string {
  // The reflexive ending is meaning, not inflection: «уволиться» is to quit, «уволить» to fire.
  if (/^[а-я]{4,}(?:ся|сь)$/u.test(word)) return `${stemOf(word.slice(0, -2))}ся`;
  // A hyphenated word is stemmed by parts: «онлайн-кассу» and «онлайн-кассы» are one word.
  if (HYPHENATED_WORD.test(word)) return word.split('-').map(stemOf).join('-');
  if (!PLAIN_WORD.test(word)) return word;
  // Snowball ends some English stems in i (deploying → deploi) and others in y (deploy): one letter.
  return CYRILLIC.test(word) ? russianStem(word) : englishStem(word).replace(/y/gu, 'i');
}

/** The stems of a text's content words: what a lexical comparison of two goals looks at. */
export function contentStems(text: string): string[] {
  return wordsOf(text)
    .filter((word) => !isStopWord(word))
    .map(stemOf);
}
