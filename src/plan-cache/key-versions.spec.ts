import { KeyVersions } from './key-versions.js';

describe('KeyVersions', () => {
  it('keeps a stamp current until its key or the namespace is invalidated', () => {
    const versions = new KeyVersions();
    const stamp = versions.stamp();
    expect(versions.isCurrent('a', stamp)).toBe(true);
    versions.invalidate('b');
    expect(versions.isCurrent('a', stamp)).toBe(true);
    versions.invalidate('a');
    expect(versions.isCurrent('a', stamp)).toBe(false);
    expect(versions.isCurrent('a', versions.stamp())).toBe(true);
    const later = versions.stamp();
    versions.invalidateAll();
    expect(versions.isCurrent('b', later)).toBe(false);
    expect(versions.isCurrent('b', versions.stamp())).toBe(true);
  });
});
