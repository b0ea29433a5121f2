import { createHash } from 'node:crypto';
import { TaskPlanKey } from './task-plan-key.js';

const { normalizeGoal } = TaskPlanKey;

/** The normalization of keys before version 2, as it was written, to hold the new one to it. */
const versionOne = (goal: string) => goal.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();

const hex16 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Deterministic strings heavy in marks, quotes, brackets and spaces: the corners of the rule. */
function markedGoals(count: number): string[] {
  const marks = [...'.!?,;:"\'`«»“„()[]「」¿¡/\\+#-%…‼！。、‽'];
  const pieces = [...marks, ...'aBяД1Ａ', ' ', '  ', '\t', '\u00a0', '..', '\u0301'];
  let seed = 28; // MINSTD: the same strings on every run
  const next = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + Math.floor(next() * 12) }, () => pieces[Math.floor(next() * pieces.length)]).join(''),
  );
}

describe('TaskPlanKey', () => {
  it.each([
    ['  Launch   the\tAPI \n', 'launch the api'],
    ['ОРГАНИЗОВАТЬ  Свадьбу', 'организовать свадьбу'],
    ['Ｆｕｌｌｗｉｄｔｈ goal', 'fullwidth goal'],
    ['ﬁle the report', 'file the report'],
    ['non\u00a0breaking\u2003spaces', 'non breaking spaces'],
  ])('normalizes %j to %j', (goal, normalized) => {
    expect(TaskPlanKey.normalizeGoal(goal)).toBe(normalized);
  });

  it('keys by the first 16 hex digits of sha256("v2\\0" + normalized goal + ":" + context)', () => {
    expect(TaskPlanKey.identify(' Launch the API! ', 'NestJS').key).toBe(`plan:${hex16('v2\0launch the api:NestJS')}`);
  });

  it.each([
    ['Launch the API', undefined],
    ['launch the api', 'NestJS'],
    ['Организовать свадьбу', 'сто гостей'],
  ])(
    'never gives %j the key version 1 gave it: builds of two normalizations never read each other',
    (goal, context) => {
      const identity = TaskPlanKey.identify(goal, context);
      // The goals normalize alike under both versions: only the version keeps them apart.
      expect(identity.goal).toBe(versionOne(goal));
      expect(identity.key).not.toBe(`plan:${hex16(`${versionOne(goal)}:${context ?? ''}`)}`);
      const tag = 'b'.repeat(32);
      const tenant = TaskPlanKey.identify(goal, context, { tenant: 'acme', tag });
      expect(tenant.key).toBe(`plan:${tag}:${identity.key.slice('plan:'.length)}`);
    },
  );

  it('gives the same key to goals that normalize alike, and another to another context', () => {
    const a = TaskPlanKey.identify('Launch the API');
    expect(TaskPlanKey.identify('  launch  THE api').key).toBe(a.key);
    expect(TaskPlanKey.identify('Launch the API', '').key).toBe(a.key);
    expect(TaskPlanKey.identify('Launch the API', 'ctx').key).not.toBe(a.key);
  });

  it('carries the normalized goal and the hash of the whole context for the check on read', () => {
    const identity = TaskPlanKey.identify('Ship It', 'ctx');
    expect(identity.goal).toBe('ship it');
    expect(identity.contextHash).toBe(createHash('sha256').update('ctx').digest('hex'));
  });

  it('remembers a recent identity, and never lets one request take another split of the same text', () => {
    const first = TaskPlanKey.identify('Plan the launch', 'api');
    expect(TaskPlanKey.identify('Plan the launch', 'api')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const moved = TaskPlanKey.identify('Plan the launcha', 'pi');
    expect(moved.key).not.toBe(first.key);
    expect(moved.goal).toBe('plan the launcha');
    const tag = 'a'.repeat(32);
    const tenant = TaskPlanKey.identify('Plan the launch', 'api', { tenant: 'acme', tag });
    expect(tenant.key).toBe(`plan:${tag}:${first.key.slice('plan:'.length)}`);
    expect(TaskPlanKey.identify('acmePlan the launch', 'api', { tenant: '', tag }).key).not.toBe(tenant.key);
  });

  it('identifies a long request without remembering it, alike', () => {
    const goal = 'g'.repeat(3000);
    expect(TaskPlanKey.identify(goal, 'ctx')).not.toBe(TaskPlanKey.identify(goal, 'ctx'));
    expect(TaskPlanKey.identify(goal, 'ctx')).toEqual(TaskPlanKey.identify(goal, 'ctx'));
  });
});

describe('TaskPlanKey.normalizeGoal: punctuation that does not change what is asked', () => {
  it.each([
    ['Launch a billing API', 'launch a  Billing API!'],
    ['Launch X', '"Launch X"'],
    ['Launch X', '(Launch X)'],
    ['Launch X', '[Launch X]'],
    ['Launch X', 'Launch X!!!'],
    ['Launch X', '¿Launch X?'],
    ['Launch X', '¡Launch X!'],
    ['Launch X', 'Launch X.'],
    ['Launch X', 'Launch X...'],
    ['Launch X', 'Launch X…'],
    ['Launch X', 'Launch X ‼'],
    ['Launch X', 'Launch X ?!'],
    ['Launch X', 'Launch X !'],
    ['Launch X', 'Launch X ! ! !'],
    ['Launch X', '“Launch X”'],
    ['Launch X', '„Launch X“'],
    ['Launch X', '»Launch X«'],
    ['Launch X', "'Launch X'"],
    ['Launch X', '`Launch X`'],
    ['Launch X', '「Launch X」'],
    ['Launch X', '"(Launch X.)"!'],
    ['Launch X', '  " Launch   X "  '],
    ['Launch X', 'Launch X！'],
    ['Launch X', 'Launch X。'],
    ['Launch X', 'Launch X:'],
    ['Launch X', 'Launch X;'],
    ['Launch X', 'Launch X,'],
    ['Запусти API биллинга', '«Запусти API биллинга!»'],
    ['запусти api биллинга', '«Запусти API биллинга!»'],
    ['Как запустить API биллинга', '«Как запустить API биллинга???»'],
    ['Learn C++', 'Learn C++.'],
    ['Learn C#', 'Learn C#!'],
    ['Write F#', '"Write F#"'],
    ['Grow revenue 50%', 'Grow revenue 50%!'],
    ['Ship v1.2', 'Ship v1.2.'],
    ['Stop it! Then plan', 'Stop it!!! Then plan'],
    ['Stop it! Then plan', 'Stop it ! Then plan'],
    ['Stop it?! Then plan', 'Stop it ?!! Then plan'],
    ['One, two', 'One ,, two'],
    ['Wait... then plan', 'Wait..... then plan'],
    ['Wait... then plan', 'Wait… then plan'],
    ['cd ..', 'cd ..!'],
    ['git add .', '"git add ."'],
  ])('%j and %j are one goal', (a, b) => {
    expect(normalizeGoal(a)).toBe(normalizeGoal(b));
    expect(TaskPlanKey.identify(a).key).toBe(TaskPlanKey.identify(b).key);
  });

  it.each([
    ['C++ service', 'C service'],
    ['C++ service', 'C+ service'],
    ['Learn C#', 'Learn C'],
    ['Ship v1.2', 'Ship v12'],
    ['Use node.js', 'Use nodejs'],
    ["Don't deploy", 'Dont deploy'],
    ['Raise the price by 1.5', 'Raise the price by 15'],
    ['Set the offset to -5', 'Set the offset to 5'],
    ['-5 degrees', '5 degrees'],
    ['#1 priority', '1 priority'],
    ['Grow revenue 50%', 'Grow revenue 50'],
    ['Pay $5', 'Pay 5'],
    ['Ping @team', 'Ping team'],
    ['Split a/b', 'Split ab'],
    ['Fix x-y', 'Fix xy'],
    ['Use std::vector', 'Use std:vector'],
    ['Count 1..5', 'Count 1.5'],
    ['Run git add .', 'Run git add'],
    ['cd ..', 'cd'],
    ['cd ../..', 'cd ../'],
    ['.NET app', 'NET app'],
    ['Launch X 🚀', 'Launch X'],
    ['Launch "X"', 'Launch X'],
    ['"A" and "B"', 'A" and "B'],
    ['(a) and (b)', 'a) and (b'],
    ['Launch X', 'Launch Y!'],
    ['Запусти API биллинга', 'Запусти API биллинга 2'],
  ])('%j and %j stay two goals', (a, b) => {
    expect(normalizeGoal(a)).not.toBe(normalizeGoal(b));
    expect(TaskPlanKey.identify(a).key).not.toBe(TaskPlanKey.identify(b).key);
  });

  it.each([
    ['"Launch X"', 'launch x'],
    ['(Launch X)', 'launch x'],
    ['Launch X!!!', 'launch x'],
    ['¿Launch X?', 'launch x'],
    ['Launch X...', 'launch x'],
    ['Stop it!!! Then plan', 'stop it! then plan'],
    ['"A" and "B"', '"a" and "b"'],
    ['Learn C++.', 'learn c++'],
    ['cd .. !', 'cd ..'],
    ["'Don't'", "'don't'"],
    // Punctuation only: nothing else to key it by.
    ['!!!', '!!!'],
    ['"?"', '"?"'],
    ['...', '...'],
  ])('normalizes %j to %j', (goal, normalized) => {
    expect(normalizeGoal(goal)).toBe(normalized);
  });

  it.each([
    ['  Launch   the\tAPI \n', 'LAUNCH THE API'],
    ['ОРГАНИЗОВАТЬ  Свадьбу', 'организовать свадьбу'],
    ['Ｆｕｌｌｗｉｄｔｈ goal!', 'fullwidth GOAL!'],
    ['ﬁle the report.', 'file the report.'],
    ['"non\u00a0breaking\u2003spaces"', '"non breaking spaces"'],
    ['Learn C++', 'learn c++'],
    ['Stop it!!! Then plan', 'STOP IT!!! THEN PLAN'],
  ])('keeps every pair version 1 made equal equal: %j, %j', (a, b) => {
    expect(versionOne(a)).toBe(versionOne(b));
    expect(normalizeGoal(a)).toBe(normalizeGoal(b));
  });

  it('only coarsens version 1: every goal normalizes as its version-1 form does, and stays as it is normalized', () => {
    // normalizeGoal(g) = normalizeGoal(versionOne(g)) for all g makes any two goals versionOne
    // made equal equal: a phrasing that hit before still hits.
    const broken = markedGoals(20_000).filter((goal) => {
      const normalized = normalizeGoal(goal);
      const wellSpaced = normalized.trim() === normalized && !normalized.includes('  ');
      return normalizeGoal(versionOne(goal)) !== normalized || normalizeGoal(normalized) !== normalized || !wellSpaced;
    });
    expect(broken).toEqual([]);
  });
});
