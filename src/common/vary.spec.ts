import { withVary } from './vary.js';

describe('withVary', () => {
  it('adds each field once, in order, whatever its case, and keeps what was there', () => {
    expect(withVary(undefined, 'Accept-Encoding')).toBe('Accept-Encoding');
    expect(withVary('Origin', 'Accept-Language', 'X-Client-Id')).toBe('Origin, Accept-Language, X-Client-Id');
    expect(withVary('Origin, accept-language', 'Accept-Language', 'origin', undefined)).toBe('Origin, accept-language');
    expect(withVary('X-Client-Id', 'Origin,Accept-Encoding')).toBe('X-Client-Id, Origin, Accept-Encoding');
  });

  it('keeps * as it is: the answer varies on everything', () => {
    expect(withVary('*', 'Origin')).toBe('*');
    expect(withVary('Origin', '*')).toBe('*');
  });

  it('merges the same way however many distinct values it has seen (its memory of merges is bounded)', () => {
    for (let index = 0; index < 1_000; index++) {
      expect(withVary(`X-Field-${index}`, 'origin, Accept-Encoding', `x-field-${index}`)).toBe(
        `X-Field-${index}, origin, Accept-Encoding`,
      );
    }
    expect(withVary('Origin', 'Accept-Encoding')).toBe('Origin, Accept-Encoding');
  });
});
