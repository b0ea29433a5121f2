/** Reads in one timed run: cycling over 4,096 keys. */
export const LOOKUPS = 1_000_000;

/** ns per hit of one timed run of LOOKUPS reads through `get`, every one of which must hit. */
export function timedHits(get: (key: string) => unknown, keys: string[]): number {
  let found = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < LOOKUPS; i++) if (get(keys[i & 4095])) found++;
  const elapsed = Number(process.hrtime.bigint() - started);
  if (found !== LOOKUPS) throw new Error(`expected every lookup to hit, ${found} did`);
  return elapsed / LOOKUPS;
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
