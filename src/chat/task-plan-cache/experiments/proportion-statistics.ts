import { errorFunction } from 'simple-statistics';

/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959964;

/** The standard normal distribution function. */
function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

/** The 95 % Wilson score interval of a proportion: sound for small counts and for 0 or 1. */
export function wilsonInterval(successes: number, trials: number, z = Z_95): [number, number] {
  if (trials === 0) return [0, 1];
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface ZTest {
  /** Proportion of `a` minus proportion of `b`. */
  difference: number;
  z: number;
  /** Two-sided. */
  pValue: number;
}

/** Two-proportion z-test (pooled): is `a`'s proportion different from `b`'s? Null without data. */
export function twoProportionZTest(
  a: { successes: number; trials: number },
  b: { successes: number; trials: number },
): ZTest | null {
  if (a.trials === 0 || b.trials === 0) return null;
  const pa = a.successes / a.trials;
  const pb = b.successes / b.trials;
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  if (se === 0) return { difference: pa - pb, z: 0, pValue: 1 };
  const z = (pa - pb) / se;
  return { difference: pa - pb, z, pValue: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
}
