import { jsonShapeProblem, MAX_JSON_DEPTH, MAX_JSON_KEYS } from './json-shape.js';

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level++) value = level % 2 ? [value] : { inner: value };
  return value;
};

describe('jsonShapeProblem', () => {
  it('accepts real bodies and scalars', () => {
    expect(jsonShapeProblem({ goal: 'Plan a trip', cache: { exact: true } })).toBeUndefined();
    expect(jsonShapeProblem('text')).toBeUndefined();
    expect(jsonShapeProblem(null)).toBeUndefined();
  });

  it('accepts a body exactly as deep and as wide as allowed, and refuses one level or one field more', () => {
    expect(jsonShapeProblem(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(jsonShapeProblem(nested(MAX_JSON_DEPTH + 1))).toMatch(/nested deeper than 32 levels/);
    const wide = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 1]));
    expect(jsonShapeProblem(wide(MAX_JSON_KEYS))).toBeUndefined();
    expect(jsonShapeProblem(wide(MAX_JSON_KEYS + 1))).toMatch(/more than 1000 fields/);
  });

  it('counts the fields of every level together, inside arrays too', () => {
    const items = Array.from({ length: 600 }, (_, i) => ({ a: i, b: i }));
    expect(jsonShapeProblem({ items })).toMatch(/more than 1000 fields/);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    expect(jsonShapeProblem(nested(100_000))).toMatch(/nested deeper/);
  });
});
