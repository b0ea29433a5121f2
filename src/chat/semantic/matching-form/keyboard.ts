/** The rows of the keyboards people type goals on: QWERTY and ЙЦУКЕН. */
const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'йцукенгшщзхъ', 'фывапролджэ', 'ячсмитьбю'];

/** Each key's neighbours: left and right in its row, and the keys above and below that touch it. */
const NEIGHBOURS = new Map<string, Set<string>>();
for (const [r, row] of ROWS.entries()) {
  const layoutStart = r < 3 ? 0 : 3;
  for (let i = 0; i < row.length; i++) {
    const near = new Set([row[i - 1], row[i + 1]].filter(Boolean));
    for (const other of [r - 1, r + 1]) {
      if (other < layoutStart || other >= layoutStart + 3) continue;
      // Rows are staggered: a key touches the one above at its own index and one to the right.
      const offset = other < r ? 0 : -1;
      for (const j of [i + offset, i + offset + 1]) if (ROWS[other][j]) near.add(ROWS[other][j]);
    }
    NEIGHBOURS.set(row[i], near);
  }
}

/** Letters people write for each other by ear: "finanse", «дупликаты», "seperate". */
const SOUNDALIKES = [
  'cskz',
  'bp',
  'dt',
  'gk',
  'vf',
  'aeiouy',
  'бп',
  'дт',
  'гк',
  'вф',
  'зс',
  'жш',
  'аоя',
  'еиэ',
  'ыи',
  'уюо',
];

/**
 * Whether a letter typed for another is a likely slip: neighbouring keys (the finger) or letters
 * that sound alike (the ear); another letter makes another word more often than a typo.
 */
export function isLikelyLetterSlip(typed: string, meant: string): boolean {
  return (
    (NEIGHBOURS.get(typed)?.has(meant) ?? false) ||
    SOUNDALIKES.some((group) => group.includes(typed) && group.includes(meant))
  );
}
