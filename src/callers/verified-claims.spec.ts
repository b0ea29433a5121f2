import { VerifiedClaimsCache } from './verified-claims.js';

describe('VerifiedClaimsCache', () => {
  it('remembers a token until its exp, then forgets it', () => {
    const cache = new VerifiedClaimsCache();
    cache.remember('t', { subject: 'alice', tenant: 'acme' }, 1_000, 500_000);
    expect(cache.get('t', 999_999)).toMatchObject({ subject: 'alice', tenant: 'acme' });
    expect(cache.get('t', 1_000_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps nothing already expired', () => {
    const cache = new VerifiedClaimsCache();
    cache.remember('old', { subject: 'a' }, 10, 20_000);
    expect(cache.get('old', 20_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stays bounded: the oldest token is forgotten first', () => {
    const cache = new VerifiedClaimsCache(2);
    for (const token of ['a', 'b', 'c']) cache.remember(token, { subject: token }, 10_000, 0);
    expect(cache.size).toBe(2);
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('c', 1)).toBeDefined();
  });
});
