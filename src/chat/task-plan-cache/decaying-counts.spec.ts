import { DecayingCounts } from './decaying-counts.js';

describe('DecayingCounts', () => {
  it('counts hits and halves them every half-life', () => {
    const counts = new DecayingCounts(1000, 10);
    for (let i = 0; i < 4; i++) counts.add('plan:a', 0);
    expect(counts.score('plan:a', 0)).toBe(4);
    expect(counts.score('plan:a', 1000)).toBeCloseTo(2);
    expect(counts.score('plan:a', 3000)).toBeCloseTo(0.5);
    counts.add('plan:a', 1000);
    expect(counts.score('plan:a', 1000)).toBeCloseTo(3);
    expect(counts.score('plan:unknown', 0)).toBe(0);
  });

  it('keeps only the strongest keys once past its bound', () => {
    const counts = new DecayingCounts(60_000, 4);
    for (let key = 0; key < 10; key++) for (let hit = 0; hit <= key; hit++) counts.add(`k${key}`, 0);
    expect(counts.size).toBeLessThanOrEqual(5);
    expect(counts.score('k9', 0)).toBe(10);
    expect(counts.score('k8', 0)).toBe(9);
    expect(counts.score('k0', 0)).toBe(0);
  });

  it('ranks a key hot now above one that was hotter long ago', () => {
    const counts = new DecayingCounts(1000, 10);
    for (let i = 0; i < 8; i++) counts.add('old', 0);
    for (let i = 0; i < 3; i++) counts.add('new', 5000);
    expect(counts.score('new', 5000)).toBeGreaterThan(counts.score('old', 5000));
  });
});
