import { KeyVersions } from './key-versions.js';

describe('KeyVersions', () => {
  it('lets a load store its value until its key or the namespace is invalidated', () => {
    const versions = new KeyVersions(60_000);
    const stamp = versions.stamp();
    expect(versions.mayStore('a', stamp)).toBe(true);
    versions.invalidate('b');
    expect(versions.mayStore('a', stamp)).toBe(true);
    versions.invalidate('a');
    expect(versions.mayStore('a', stamp)).toBe(false);
    expect(versions.mayStore('a', versions.stamp())).toBe(true);
    const later = versions.stamp();
    versions.invalidateAll();
    expect(versions.mayStore('b', later)).toBe(false);
    expect(versions.mayStore('b', versions.stamp())).toBe(true);
  });

  it('refuses a load older than the horizon, whatever happened meanwhile', () => {
    let now = 0;
    const versions = new KeyVersions(1_000, () => now);
    const stamp = versions.stamp();
    now = 1_001;
    expect(versions.mayStore('a', stamp)).toBe(false);
  });

  it('stays bounded by the keys invalidated within the horizon under 100,000 distinct announced keys', () => {
    let now = 0;
    const versions = new KeyVersions(1_000, () => now);
    let largest = 0;
    for (let i = 0; i < 100_000; i++) {
      now = i; // one announcement a millisecond: 1,000 of them within the horizon
      versions.invalidate(`plan:${i.toString(16)}`);
      largest = Math.max(largest, versions.size);
    }
    expect(largest).toBeLessThanOrEqual(1_001);
    expect(versions.size).toBeLessThanOrEqual(1_001);
  });

  it('still refuses, after its version is forgotten, a load that began before an invalidation', () => {
    let now = 0;
    const versions = new KeyVersions(1_000, () => now);
    const before = versions.stamp();
    now = 10;
    versions.invalidate('a');
    now = 2_000;
    versions.invalidate('other'); // forgets the version of 'a'
    expect(versions.mayStore('a', before)).toBe(false);
  });
});
