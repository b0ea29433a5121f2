import { EXACT_SCAN_MAX } from './goal-bucket.js';
import { GoalIndex } from './goal-index.js';
import { signatureOf } from './identity-gates.js';
import { normalized } from '../../embeddings/vectors.js';

const DIMENSIONS = 16;
const vectorOf = (seed: number) =>
  normalized(Float32Array.from({ length: DIMENSIONS }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233)));
const where = { contextHash: 'c', model: 'm' };

describe('GoalIndex', () => {
  it('finds the nearest goal within its scope, context and model only', () => {
    const index = new GoalIndex();
    index.put(where, { key: 'k1', goal: 'one', signature: signatureOf('one'), vector: vectorOf(1) });
    index.put(
      { ...where, scope: 'tenant' },
      { key: 'k2', goal: 'two', signature: signatureOf('two'), vector: vectorOf(1) },
    );
    index.put(
      { ...where, model: 'other' },
      { key: 'k3', goal: 'three', signature: signatureOf('three'), vector: vectorOf(1) },
    );
    const found = index.nearest(where, vectorOf(1), 5);
    expect(found.map((n) => n.goal.key)).toEqual(['k1']);
    expect(found[0].similarity).toBeCloseTo(1, 5);
  });

  it('forgets removed goals and replaces a key in place', () => {
    const index = new GoalIndex();
    index.put(where, { key: 'k1', goal: 'one', signature: signatureOf('one'), vector: vectorOf(1) });
    index.put(where, { key: 'k1', goal: 'one again', signature: signatureOf('one again'), vector: vectorOf(2) });
    expect(index.size).toBe(1);
    expect(index.nearest(where, vectorOf(2), 1)[0].goal.goal).toBe('one again');
    index.remove('k1');
    expect(index.nearest(where, vectorOf(2), 1)).toEqual([]);
  });

  it("keeps each bucket's words with its goals: added, replaced, removed, and gone with the bucket", () => {
    const index = new GoalIndex();
    const goal = (key: string, text: string, seed: number) => ({
      key,
      goal: text,
      signature: signatureOf(text),
      vector: vectorOf(seed),
    });
    index.put(where, goal('k1', 'configure nginx', 1));
    index.put(where, goal('k2', 'restart postgres', 2));
    index.put({ ...where, scope: 'tenant' }, goal('k3', 'deploy kubernetes', 3));
    expect(index.vocabularyOf(where)?.oneEditFrom('ngnix')).toEqual(['nginx']);
    expect(index.vocabularyOf(where)?.oneEditFrom('kubernetse')).toEqual([]);

    index.put(where, goal('k1', 'configure apache', 1));
    expect(index.vocabularyOf(where)?.oneEditFrom('ngnix')).toEqual([]);
    expect(index.vocabularyOf(where)?.oneEditFrom('apahce')).toEqual(['apache']);

    index.remove('k2');
    expect(index.vocabularyOf(where)?.has('postgres')).toBe(false);
    index.remove('k1');
    expect(index.vocabularyOf(where)).toBeUndefined();
    expect(index.vocabularyOf({ ...where, scope: 'tenant' })?.has('kubernetes')).toBe(true);
  });

  it('still finds the exact nearest goal once a bucket outgrows the scan (graph and recent goals)', () => {
    const index = new GoalIndex();
    const count = EXACT_SCAN_MAX + 700;
    for (let i = 0; i < count; i++)
      index.put(where, { key: `k${i}`, goal: `goal ${i}`, signature: signatureOf(`goal ${i}`), vector: vectorOf(i) });
    for (const probe of [3, 1500, count - 1, count - 100]) {
      expect(index.nearest(where, vectorOf(probe), 3)[0].goal.key).toBe(`k${probe}`);
    }
    index.remove('k1500');
    expect(index.nearest(where, vectorOf(1500), 3).map((n) => n.goal.key)).not.toContain('k1500');
  });
});
