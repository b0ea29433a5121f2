import { assignVariant } from './variant-assignment.js';

describe('assignVariant', () => {
  it('gives a client the same variant every time', () => {
    const first = assignVariant('ttl-test', 'client-42', [1, 1, 1]);
    for (let i = 0; i < 5; i++) expect(assignVariant('ttl-test', 'client-42', [1, 1, 1])).toBe(first);
  });

  it('splits 10,000 clients near the weights', () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 10_000; i++) counts[assignVariant('split', `client-${i}`, [50, 30, 20])]++;
    // 3 standard deviations of a binomial with n = 10,000 is at most 150.
    expect(Math.abs(counts[0] - 5000)).toBeLessThan(150);
    expect(Math.abs(counts[1] - 3000)).toBeLessThan(140);
    expect(Math.abs(counts[2] - 2000)).toBeLessThan(120);
  });

  it('shuffles clients anew for another experiment', () => {
    let moved = 0;
    for (let i = 0; i < 1000; i++) {
      if (assignVariant('one', `c${i}`, [1, 1]) !== assignVariant('two', `c${i}`, [1, 1])) moved++;
    }
    expect(moved).toBeGreaterThan(400);
    expect(moved).toBeLessThan(600);
  });
});
