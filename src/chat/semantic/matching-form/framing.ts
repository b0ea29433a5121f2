/**
 * The wrappers people put around a task ("could you please …", «помогите, пожалуйста, …»): word
 * patterns, one slot per word, `a|b` for alternatives and a trailing `?` for an optional slot.
 * No pattern holds a negation that belongs to the task: "please don't deploy X" keeps "don't";
 * «не могли бы вы» is a politeness form as a whole, never the task's «не».
 */
const LEADING = [
  // English
  'please|pls|plz|kindly|hey|hi|hello|ok|okay|so|now',
  'could|can|would|will you please? help? me|us? to|with|in?',
  'help|assist me|us? to|with|in?',
  'i|we need|want|have|got you? to',
  "i'd|we'd like you? to",
  'i|we would like you? to',
  "i'm|we're trying|looking|going to",
  'i|we am|are? trying|looking|going to',
  'i|we must|should|wish to?',
  'how do|can|should|would i|we',
  'how to',
  "what's|what is? the best|right|easiest way to|of",
  'the best|right|easiest way to|of',
  'is|are there a? way to',
  'is it possible to',
  "let's|lets",
  'let us',
  'show|tell me|us how to',
  'go ahead and',
  'time to',
  'walk|talk|take me|us through how? to?',
  'can|could someone|anyone please? explain|tell|show me|us? how to',
  'explain|show|teach|tell me|us? how to',
  "i'd|we'd love to",
  'i|we would love to',
  'any idea|ideas|tips|advice on|for? how to',
  'tips|advice|guide|steps on|for|to',
  'what do|should i|we need|have to? to',
  'need|needs help with|to',
  'looking for help with',
  'trying to figure out how to',
  'wanna|gotta',
  // Russian
  'пожалуйста|плиз|пж|привет|здравствуйте|итак|слушай|слушайте',
  'помоги|помогите|помогите-ка|помоги-ка мне|нам?',
  'не могли|мог|могла бы вы|ты?',
  'можешь|можете|можно ли?',
  'прошу|просим',
  'будь|будьте добр|добры',
  'я|мы? хочу|хотим|хотел|хотела|хотели бы?',
  'хотелось бы',
  'мне|нам нужно|надо|необходимо|требуется|бы',
  'нужно|нужна|нужен|нужны|надо|необходимо|требуется|следует бы?',
  'подскажи|подскажите|расскажи|расскажите|объясни|объясните как?',
  'как мне|нам|бы|можно?',
  'давай|давайте',
  'посоветуйте|посоветуй|подскажите|подскажи|объясните|объясни как? правильно?',
  'как? правильно',
  'надо|нужно бы',
  'планирую|собираюсь|хочу|хотим',
  'нужна|требуется помощь с|чтобы?',
  'есть задача',
  'задача',
];

const TRAILING = [
  'please|pls|plz|thanks|asap|help',
  'thank you',
  'thanks in advance',
  'for me|us',
  'if possible',
  'if you can',
  'any tips|tip|advice|ideas|idea|suggestions',
  'where do|should i start',
  "what's|what is the process|procedure",
  'how do i start',
  'пожалуйста|плиз|спасибо|срочно|подскажите|посоветуйте|помогите',
  'заранее спасибо',
  'спасибо заранее',
  'заранее',
  'для меня|нас',
  'с чего начать',
  'помогите|помоги с планом',
  'как это сделать',
  'что для этого нужно',
];

/** Words of politeness that say nothing wherever they stand. */
const ANYWHERE = new Set(['please', 'pls', 'plz', 'kindly', 'пожалуйста', 'плиз']);

type Slot = { words: ReadonlySet<string>; optional: boolean };
type Pattern = readonly Slot[];

const parse = (pattern: string): Pattern =>
  pattern.split(' ').map((slot) => {
    const optional = slot.endsWith('?');
    return { words: new Set((optional ? slot.slice(0, -1) : slot).split('|')), optional };
  });

const LEADING_PATTERNS = LEADING.map(parse);
const TRAILING_PATTERNS = TRAILING.map((pattern) => [...parse(pattern)].reverse());

/** How many words at the start of `words` the pattern covers (greedy, no backtracking), or 0. */
function matchLength(pattern: Pattern, words: readonly string[]): number {
  let at = 0;
  for (const slot of pattern) {
    if (at < words.length && slot.words.has(words[at])) at++;
    else if (!slot.optional) return 0;
  }
  return at;
}

/** Strips the patterns off one end of the words as long as one matches, keeping at least one word. */
function stripped(words: readonly string[], patterns: readonly Pattern[]): string[] {
  let rest = [...words];
  for (let changed = true; changed;) {
    changed = false;
    for (const pattern of patterns) {
      const length = matchLength(pattern, rest);
      if (length > 0 && length < rest.length) {
        rest = rest.slice(length);
        changed = true;
      }
    }
  }
  return rest;
}

/**
 * A goal's words without the framing around the task: leading requests and wishes, trailing
 * thanks, and politeness anywhere. What is left is the task as an imperative would say it.
 */
export function withoutFraming(words: readonly string[]): string[] {
  const polite = words.filter((word) => !ANYWHERE.has(word));
  const kept = polite.length > 0 ? polite : [...words];
  const fromStart = stripped(kept, LEADING_PATTERNS);
  return stripped([...fromStart].reverse(), TRAILING_PATTERNS).reverse();
}
