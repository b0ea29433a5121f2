import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScoredPair } from './match-quality.js';
import { calibrate, readCalibration, writeCalibration } from './semantic-calibration.js';

const pair = (same: boolean, similarity: number, gate?: 'negation'): ScoredPair => ({
  a: 'a',
  b: 'b',
  formA: 'a',
  formB: 'b',
  same,
  kind: same ? 'paraphrase' : 'negation',
  category: same ? 'framing' : 'negation',
  lang: 'en',
  similarity,
  gate,
});

/** 400 paraphrases spread over 0.60–0.99; 400 negatives at 0.5, one at `falseAt`, and one refused by a gate at 0.99. */
function labelledSet(falseAt: number): ScoredPair[] {
  const paraphrases = Array.from({ length: 400 }, (_, i) => pair(true, (60 + (i % 40)) / 100));
  const negatives = Array.from({ length: 400 }, () => pair(false, 0.5));
  return [...paraphrases, ...negatives, pair(false, falseAt), pair(false, 0.99, 'negation')];
}

describe('semantic calibration', () => {
  it('takes the lowest threshold whose false-hit upper bound stays under the error bound', () => {
    const calibration = calibrate(labelledSet(0.8), 'model-a', 0.01)!;
    // One false hit of 402 has an upper bound over 1 %: every threshold up to 0.80 serves it.
    expect(calibration.threshold).toBe(0.81);
    expect(calibration.falseHits.count).toBe(0);
    expect(calibration.falseHits.high).toBeLessThan(0.01);
    expect(calibration.paraphrasesServed.count).toBe(19 * 10); // 0.81 to 0.99
    expect(calibration).toMatchObject({ model: 'model-a', maxError: 0.01, pairs: 802 });
  });

  it('finds none when the set is too small for the bound asked', () => {
    expect(calibrate(labelledSet(0.8).slice(0, 450), 'model-a', 0.01)).toBeUndefined();
  });

  it('is read back for its model, and refused for another model, a looser bound or a broken file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calibration-'));
    const file = join(dir, 'nested', 'calibration.json');
    writeCalibration(file, calibrate(labelledSet(0.7), 'model-a', 0.01)!);

    expect(readCalibration(file, 'model-a', 0.01)).toMatchObject({ kind: 'used', threshold: 0.71 });
    expect(readCalibration(file, 'model-a', 0.05)).toMatchObject({ kind: 'used' });
    expect(readCalibration(file, 'model-b', 0.01)).toEqual({
      kind: 'refused',
      reason: 'it was made for the model model-a, and this service embeds with model-b',
    });
    expect(readCalibration(file, 'model-a', 0.001)).toMatchObject({ kind: 'refused' });
    expect(readCalibration(join(dir, 'absent.json'), 'model-a', 0.01)).toEqual({ kind: 'none' });

    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"model": "model-a", "threshold": 7}');
    expect(readCalibration(broken, 'model-a', 0.01)).toMatchObject({ kind: 'refused' });
    writeFileSync(broken, 'not json');
    expect(readCalibration(broken, 'model-a', 0.01)).toEqual({ kind: 'refused', reason: 'it is not JSON' });
  });
});
