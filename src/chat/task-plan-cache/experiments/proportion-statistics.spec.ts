import { twoProportionZTest, wilsonInterval } from './proportion-statistics.js';

describe('wilsonInterval', () => {
  it('matches the textbook values', () => {
    // 81 successes in 263 trials: 0.2553 to 0.3662 (Newcombe 1998, method 3).
    const [low, high] = wilsonInterval(81, 263);
    expect(low).toBeCloseTo(0.2553, 3);
    expect(high).toBeCloseTo(0.3662, 3);
  });

  it('stays within [0, 1] at the edges and is widest without data', () => {
    expect(wilsonInterval(0, 10)[0]).toBeCloseTo(0, 12);
    expect(wilsonInterval(0, 10)[0]).toBeGreaterThanOrEqual(0);
    expect(wilsonInterval(10, 10)[1]).toBeCloseTo(1, 12);
    expect(wilsonInterval(10, 10)[1]).toBeLessThanOrEqual(1);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
});

describe('twoProportionZTest', () => {
  it('finds a clear difference significant and an equal split not', () => {
    const clear = twoProportionZTest({ successes: 600, trials: 1000 }, { successes: 500, trials: 1000 });
    expect(clear!.difference).toBeCloseTo(0.1);
    expect(clear!.z).toBeCloseTo(4.49, 2);
    expect(clear!.pValue).toBeLessThan(0.0001);
    const same = twoProportionZTest({ successes: 50, trials: 100 }, { successes: 50, trials: 100 });
    expect(same!.z).toBe(0);
    expect(same!.pValue).toBeCloseTo(1, 6);
  });

  it('gives the two-sided p-value of z = 1.96 as 0.05', () => {
    // p1 = 0.6, p2 = 0.5 with 190 each gives z close to 1.96.
    const test = twoProportionZTest({ successes: 114, trials: 190 }, { successes: 95, trials: 190 });
    expect(test!.z).toBeCloseTo(1.96, 1);
    expect(test!.pValue).toBeCloseTo(0.05, 2);
  });

  it('has nothing to say without data', () => {
    expect(twoProportionZTest({ successes: 0, trials: 0 }, { successes: 5, trials: 10 })).toBeNull();
  });
});
