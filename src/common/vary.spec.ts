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
});
