import { isStopWord, stemOf, wordsOf } from '../../embeddings/index.js';
import { canonicalEntity, isEntitySpelling, namedEntitiesOf } from './named-entities.js';

/** The checks no similarity can replace; a near-duplicate must pass every one. */
export const IDENTITY_GATES = [
  'language',
  'numbers',
  'identifiers',
  'negation',
  'polarity',
  'direction',
  'entities',
] as const;
export type IdentityGate = (typeof IDENTITY_GATES)[number];

/** What of a goal must be the same in a near-duplicate, read once per goal. */
export interface GoalSignature {
  /** The goal's script, Cyrillic or Latin: the planner answers in the goal's language. */
  language: 'cyrillic' | 'latin';
  /** Every number, in order of size: `#12`, `v1.0`, `PostgreSQL 15`, `1+1`. */
  numbers: string;
  /** Words with symbols or a single letter: `c`, `c++`, `c#`, `.net`, `node.js`, `api_v2`. */
  identifiers: string;
  negated: boolean;
  /** The destructive actions (remove, disable, удалить…) by axis, and the constructive ones. */
  actions: ReadonlyMap<string, 1 | -1>;
  /** What the goal goes from and to: `from mysql to postgresql`, `с mysql на postgresql`. */
  source?: string;
  target?: string;
  entities: string;
}

const NEGATIONS = new Set([
  'not',
  'no',
  'never',
  'without',
  "don't",
  'dont',
  "doesn't",
  'doesnt',
  "isn't",
  "can't",
  'cannot',
  'nor',
  'none',
  'avoid',
  'except',
  'не',
  'нет',
  'без',
  'ни',
  'никогда',
  'кроме',
  'нельзя',
  'excluding',
  'исключая',
]);

/**
 * Verbs that change a thing's state one way or the other, by axis. Stems, so that inflections
 * ("removing", «удаление») find their axis.
 */
const ACTION_AXES: ReadonlyArray<[axis: string, constructive: string[], destructive: string[]]> = [
  [
    'presence',
    ['add', 'creat', 'insert', 'introduc', 'добав', 'созда', 'внедр'],
    ['remov', 'delet', 'drop', 'destroy', 'erase', 'удал', 'убра', 'убер', 'уничтож', 'стер'],
  ],
  [
    'switch',
    ['enabl', 'activ', 'turnon', 'switch on', 'startup', 'включ', 'активир'],
    ['disabl', 'deactiv', 'turnoff', 'switch off', 'shutdown', 'выключ', 'отключ', 'деактивир'],
  ],
  [
    'install',
    ['instal', 'setup', 'deploy', 'установ', 'разверн', 'развертыва', 'развёр'],
    ['uninstal', 'teardown', 'undeploy', 'decommiss', 'снест', 'деинстал'],
  ],
  ['run', ['start', 'launch', 'запуст', 'старт'], ['stop', 'halt', 'kill', 'останов', 'прекрат']],
  [
    'open',
    ['open', 'unlock', 'unblock', 'allow', 'permit', 'grant', 'откр', 'разблок', 'разреш'],
    [
      'close',
      'lock',
      'block',
      'prevent',
      'deni',
      'deny',
      'disallow',
      'forbid',
      'revok',
      'закр',
      'заблок',
      'запрет',
      'отозв',
      'предотвра',
    ],
  ],
  [
    'size',
    ['increas', 'rais', 'grow', 'expand', 'scaleup', 'увелич', 'расшир'],
    ['decreas', 'lower', 'reduc', 'cut', 'shrink', 'scaledown', 'уменьш', 'сократ', 'сниз'],
  ],
  ['version', ['upgrad', 'обнов'], ['downgrad', 'откат', 'rollback']],
  ['crypt', ['encrypt', 'зашифр'], ['decrypt', 'расшифр']],
  [
    'link',
    ['connect', 'attach', 'link', 'subscrib', 'merg', 'подключ', 'присоедин', 'подпис', 'объедин'],
    [
      'disconnect',
      'detach',
      'unlink',
      'unsubscrib',
      'split',
      'отключ',
      'отсоедин',
      'отпис',
      'раздел',
      'разби',
      'разбей',
    ],
  ],
  ['flow', ['import', 'upload', 'импорт', 'загруз'], ['export', 'download', 'экспорт', 'выгруз', 'скача']],
  ['show', ['show', 'display', 'показ', 'отобраз'], ['hide', 'скры', 'спрят']],
  ['keep', ['renew', 'extend', 'prolong', 'продл', 'возобнов'], ['cancel', 'terminat', 'отмен', 'аннулир', 'растор']],
];

const SOURCE_WORDS = new Set(['from', 'из', 'изо', 'с', 'со', 'от']);
const TARGET_WORDS = new Set(['to', 'into', 'onto', 'в', 'во', 'на', 'до']);

/** A number standing alone (12, #12, v1.0, 3.12, the 1s of 1+1), not digits inside a word (k8s, s3). */
const NUMBER = /(?<![\p{L}\p{N}])v?(\d+(?:[.,]\d+)*)(?!\p{L})/gu;
const SYMBOLIC = /[^\p{L}]/u;

export function signatureOf(goal: string): GoalSignature {
  const words = wordsOf(goal);
  const text = words.join(' ');
  const language = scriptOf(goal);
  return {
    language,
    numbers: [...goal.normalize('NFKC').matchAll(NUMBER)]
      .map((match) => match[1].replace(',', '.'))
      .sort()
      .join(' '),
    identifiers: [...new Set(words.filter((word) => isIdentifier(word, language)))].sort().join(' '),
    negated: words.some((word) => NEGATIONS.has(word) || word.endsWith("n't") || word.startsWith('non-')),
    actions: actionsOf(words, text),
    ...endpointsOf(words),
    entities: namedEntitiesOf(words).join(' '),
  };
}

/**
 * The first gate two goals' signatures disagree on, or undefined when they agree on all. A missing
 * destructive action is a disagreement ("remove X" is not "X"); a missing constructive one is not
 * ("create a CI pipeline" is "a CI pipeline"). Ends of a move are compared where both goals name one.
 */
export function firstDisagreement(a: GoalSignature, b: GoalSignature): IdentityGate | undefined {
  if (a.language !== b.language) return 'language';
  if (a.numbers !== b.numbers) return 'numbers';
  if (a.identifiers !== b.identifiers) return 'identifiers';
  if (a.negated !== b.negated) return 'negation';
  if (!actionsAgree(a.actions, b.actions)) return 'polarity';
  if (differs(a.source, b.source) || differs(a.target, b.target) || swapped(a, b)) return 'direction';
  if (a.entities !== b.entities) return 'entities';
  return undefined;
}

/**
 * Cyrillic when most letters are, or when the task's first word is (a Russian goal naming CI, AWS
 * or GitHub Actions is still Russian: «настроить CI на GitHub Actions»).
 */
function scriptOf(goal: string): GoalSignature['language'] {
  const cyrillic = goal.match(/[\u0400-\u04FF]/gu)?.length ?? 0;
  const latin = goal.match(/[a-z]/giu)?.length ?? 0;
  const firstWord = /\p{L}+/u.exec(goal)?.[0] ?? '';
  return cyrillic > latin || /^[\u0400-\u04FF]/u.test(firstWord) ? 'cyrillic' : 'latin';
}

function isIdentifier(word: string, language: GoalSignature['language']): boolean {
  if (/^v?\d+(?:[.,]\d+)*$/u.test(word)) return false; // numbers have their own gate
  if (isEntitySpelling(word)) return false; // k8s, node.js: the entities gate knows them by name
  // A Latin letter alone in a Russian goal is a name («запись типа A», «класс B»), never an English article.
  if (word.length === 1 && language === 'cyrillic' && /^[a-z]$/u.test(word)) return true;
  if (word.length === 1)
    return /\p{L}/u.test(word) && !isStopWord(word) && !SOURCE_WORDS.has(word) && !TARGET_WORDS.has(word);
  // Hyphenated words (e-mail, онлайн-касса) and contractions (don't, isn't) are words, not names.
  if (!SYMBOLIC.test(word)) return false;
  // A Latin word with a hyphen in a Russian goal is a name (lodash-es), not a Russian compound.
  if (language === 'cyrillic' && /^[a-z]+(?:-[a-z]+)+$/u.test(word)) return true;
  return !/^[\p{L}]+(?:['-][\p{L}]+)+$/u.test(word);
}

function actionsOf(words: readonly string[], text: string): Map<string, 1 | -1> {
  const stems = words.map(stemOf);
  const actions = new Map<string, 1 | -1>();
  const mentions = (roots: string[]) =>
    roots.some((root) =>
      root.includes(' ')
        ? text.includes(root)
        : stems.some((stem, i) => stem.startsWith(root) || words[i].startsWith(root)),
    );
  for (const [axis, constructive, destructive] of ACTION_AXES) {
    // "uninstall" starts with neither "instal" nor…: destructive roots are checked first, as the longer words.
    if (mentions(destructive)) actions.set(axis, -1);
    else if (mentions(constructive)) actions.set(axis, 1);
  }
  return actions;
}

function actionsAgree(a: ReadonlyMap<string, 1 | -1>, b: ReadonlyMap<string, 1 | -1>): boolean {
  for (const [axis, sign] of a) if (b.get(axis) !== sign && (sign === -1 || b.get(axis) === -1)) return false;
  for (const [axis, sign] of b) if (sign === -1 && a.get(axis) !== -1) return false;
  return true;
}

/** The content word after the first "from"-word and after the first "to"-word that has one. */
function endpointsOf(words: readonly string[]): Pick<GoalSignature, 'source' | 'target'> {
  const ends: Pick<GoalSignature, 'source' | 'target'> = {};
  words.forEach((word, i) => {
    const role = SOURCE_WORDS.has(word) ? 'source' : TARGET_WORDS.has(word) ? 'target' : undefined;
    if (!role || ends[role] !== undefined) return;
    const next = words.slice(i + 1).find((candidate) => !isStopWord(candidate));
    if (next !== undefined) ends[role] = canonicalEntity(next) ?? stemOf(next);
  });
  return ends;
}

const differs = (a?: string, b?: string): boolean => a !== undefined && b !== undefined && a !== b;

function swapped(a: GoalSignature, b: GoalSignature): boolean {
  return (a.source !== undefined && a.source === b.target) || (a.target !== undefined && a.target === b.source);
}
