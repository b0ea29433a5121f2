import { entryThreshold, learnedThreshold, type FeedbackObservation, type Observation } from './learned-threshold.js';

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

describe('entryThreshold (checks and clients’ words)', () => {
  const wrong = (similarity: number): Observation => ({ similarity, wrong: true });

  it('never falls under the global threshold for confirmations alone, however many', () => {
    const feedback = [...correct(0.37, 390), ...correct(0.03, 1)];
    expect(learnedThreshold(feedback, settings)).toBeLessThan(0.1);
    expect(entryThreshold({ checked: [], feedback }, settings)).toBe(0.9);
  });

  it('never falls under what checks learned, nor undoes a raise that checks made', () => {
    expect(entryThreshold({ checked: correct(0.82, 400), feedback: correct(0.5, 1000) }, settings)).toBeCloseTo(
      0.82,
      5,
    );
    const raised = learnedThreshold([wrong(0.95)], settings);
    expect(entryThreshold({ checked: [wrong(0.95)], feedback: correct(0.97, 1000) }, settings)).toBe(raised);
  });

  const report = (similarity: number, voter: string): FeedbackObservation => ({ similarity, wrong: true, voter });

  it('rises above a wrong plan once three distinct callers reported it, and confirmations may bring it back to the global threshold only', () => {
    const reported = [report(0.95, 'a'), report(0.96, 'b'), report(0.97, 'c')];
    expect(entryThreshold({ checked: [], feedback: reported }, settings)).toBeGreaterThan(0.95);
    const outweighed = entryThreshold({ checked: [], feedback: [...reported, ...correct(0.96, 1000)] }, settings);
    expect(outweighed).toBeGreaterThanOrEqual(0.9);
    expect(outweighed).toBeLessThanOrEqual(0.96);
  });

  it('is moved by no single caller: one voter reporting a 0.99 goal a hundred times changes nothing, not even what checks lowered', () => {
    const one = Array.from({ length: 100 }, () => report(0.99, 'mallory'));
    expect(entryThreshold({ checked: [], feedback: one }, settings)).toBe(0.9);
    expect(entryThreshold({ checked: correct(0.82, 400), feedback: one }, settings)).toBeCloseTo(0.82, 5);
    const two = [...one, report(0.99, 'mallory-again')];
    expect(entryThreshold({ checked: correct(0.82, 400), feedback: two }, settings)).toBeCloseTo(0.82, 5);
  });

  it('raises only as high as the agreeing callers say: above the third-highest of their reports', () => {
    const feedback = [report(0.99, 'mallory'), report(0.99, 'mallory'), report(0.93, 'b'), report(0.92, 'c')];
    const threshold = entryThreshold({ checked: [], feedback }, settings);
    expect(threshold).toBeGreaterThan(0.92);
    expect(threshold).toBeLessThan(0.93);
  });

  it('counts no report without a voter (rows from before voters were recorded)', () => {
    const feedback = Array.from({ length: 5 }, () => ({ similarity: 0.99, wrong: true }));
    expect(entryThreshold({ checked: [], feedback }, settings)).toBe(0.9);
  });
});
