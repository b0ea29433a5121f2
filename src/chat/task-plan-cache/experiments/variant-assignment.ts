import { createHash } from 'node:crypto';

/**
 * The variant of `clientId` in `experiment`: a stable hash of both picks a point in [0, 1), and the
 * weights divide that range. No state, so every instance assigns a client the same variant, and a
 * client keeps its variant as long as the experiment keeps its name and weights.
 */
export function assignVariant(experiment: string, clientId: string, weights: readonly number[]): number {
  const digest = createHash('sha256').update(experiment).update('\0').update(clientId).digest();
  // 48 bits: exact in a double, and far finer than any weight.
  const point = digest.readUIntBE(0, 6) / 2 ** 48;
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let bound = 0;
  for (let index = 0; index < weights.length; index++) {
    bound += weights[index] / total;
    if (point < bound) return index;
  }
  return weights.length - 1;
}
