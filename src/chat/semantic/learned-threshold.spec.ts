import { learnedThreshold, type Observation } from './learned-threshold.js';

const settings = { global: 0.9, maxError: 0.01, minObservations: 10 };
const correct = (similarity: number, count: number): Observation[] =>
  Array.from({ length: count }, () => ({ similarity, wrong: false }));

describe('learnedThreshold', () => {
  it('is the global threshold for an entry nobody has checked', () => {
    expect(learnedThreshold([], settings)).toBe(0.9);
  });

  it('rises above a similarity at which the entry was served a wrong plan', () => {
    expect(learnedThreshold([{ similarity: 0.95, wrong: true }], settings)).toBeGreaterThan(0.95);
    expect(learnedThreshold([{ similarity: 0.8, wrong: true }], settings)).toBe(0.9);
  });

  it('stays at the global threshold while a few correct observations cannot bound the error under δ', () => {
    expect(learnedThreshold(correct(0.82, 50), settings)).toBe(0.9);
  });

  it('falls below the global threshold once the evidence bounds the error under δ', () => {
    const threshold = learnedThreshold(correct(0.82, 400), settings);
    expect(threshold).toBeCloseTo(0.82, 5);
  });

  it('keeps the threshold above a wrong observation that enough correct ones do not outweigh', () => {
    const observations = [...correct(0.97, 400), ...correct(0.85, 30), { similarity: 0.86, wrong: true }];
    const threshold = learnedThreshold(observations, settings);
    expect(threshold).toBeGreaterThan(0.86);
    expect(threshold).toBeLessThanOrEqual(0.97);
  });

  it('never serves again an entry wrong at every similarity observed', () => {
    expect(learnedThreshold([{ similarity: 0.99, wrong: true }, ...correct(0.995, 3)], settings)).toBeGreaterThan(0.99);
  });
});
