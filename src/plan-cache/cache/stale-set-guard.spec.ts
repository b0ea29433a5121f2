import { jest } from '@jest/globals';
import { StaleSetGuard } from './stale-set-guard.js';

/** The guard of a namespace without Redis: the in-process steps alone. */
const guard = (loadDeadlineMs = 60_000) => new StaleSetGuard(loadDeadlineMs);

describe('StaleSetGuard', () => {
  afterEach(() => jest.useRealTimers());

  it('stamps a load without Redis versions when there is no Redis, here and for a copy', async () => {
    const staleSets = guard();
    expect((await staleSets.stamp('plans:user_1')).remote).toBeUndefined();
    expect(staleSets.stampHere().remote).toBeUndefined();
  });

  it('lets a load store its value here until its key is invalidated, and only that key', async () => {
    const staleSets = guard();
    const stamp = await staleSets.stamp('plans:user_1');
    expect(staleSets.mayStoreHere('plans:user_1', stamp)).toBe(true);
    staleSets.invalidatedHere(['plans:user_2']);
    expect(staleSets.mayStoreHere('plans:user_1', stamp)).toBe(true);
    staleSets.invalidatedHere(['plans:user_1']);
    expect(staleSets.mayStoreHere('plans:user_1', stamp)).toBe(false);
    expect(staleSets.mayStoreHere('plans:user_1', staleSets.stampHere())).toBe(true);
  });

  it('refuses every load stamped before a clear, and none stamped after it', async () => {
    const staleSets = guard();
    const before = [await staleSets.stamp('plans:user_1'), staleSets.stampHere()];
    staleSets.clearedHere();
    for (const stamp of before) expect(staleSets.mayStoreHere('plans:user_1', stamp)).toBe(false);
    expect(staleSets.mayStoreHere('plans:user_1', staleSets.stampHere())).toBe(true);
  });

  it('refuses a load that took longer than the load deadline, though nothing was invalidated', () => {
    jest.useFakeTimers();
    const staleSets = guard(1_000);
    const stamp = staleSets.stampHere();
    jest.advanceTimersByTime(999);
    expect(staleSets.mayStoreHere('plans:user_1', stamp)).toBe(true);
    jest.advanceTimersByTime(2);
    expect(staleSets.mayStoreHere('plans:user_1', stamp)).toBe(false);
  });

  it('remembers the keys invalidated within the load deadline only, and none after a clear', () => {
    jest.useFakeTimers();
    const staleSets = guard(1_000);
    staleSets.invalidatedHere(['a', 'b']);
    expect(staleSets.trackedVersions).toBe(2);
    jest.advanceTimersByTime(1_001);
    staleSets.invalidatedHere(['c']);
    expect(staleSets.trackedVersions).toBe(1);
    staleSets.clearedHere();
    expect(staleSets.trackedVersions).toBe(0);
  });

  it('serves an entry from Redis only while its stamp is the versions Redis holds now', () => {
    const staleSets = guard();
    const stamp = { g: 'generation-1', k: 'version-1', p: 'primary-1' };
    const now = (versions: Partial<{ g: string | null; k: string | null; p: string }>) => ({
      g: 'generation-1',
      k: 'version-1',
      p: 'primary-1',
      ...versions,
    });
    expect(staleSets.isCurrent(stamp, now({}))).toBe(true);
    expect(staleSets.isCurrent(stamp, now({ g: 'generation-2' }))).toBe(false); // cleared since
    expect(staleSets.isCurrent(stamp, now({ k: 'version-2' }))).toBe(false); // invalidated since
    // Versions Redis lost (evicted, expired) are never current, whatever the entry says.
    expect(staleSets.isCurrent(stamp, now({ g: null }))).toBe(false);
    expect(staleSets.isCurrent(stamp, now({ k: null }))).toBe(false);
    // Written under another primary: the one promoted since may lack the invalidations that followed.
    expect(staleSets.isCurrent(stamp, now({ p: 'primary-2' }))).toBe(false);
    expect(staleSets.isCurrent({ ...stamp, p: 'primary-2' }, now({}))).toBe(false);
    // An envelope of the build before stamps carried the primary cannot say which it was written under.
    expect(staleSets.isCurrent({ g: 'generation-1', k: 'version-1' }, now({}))).toBe(false);
    // Where the ACL user may not run INFO there is no id at all: the versions alone decide.
    expect(staleSets.isCurrent({ ...stamp, p: '' }, now({ p: '' }))).toBe(true);
  });

  it.each([
    ['no stamp', undefined],
    ['a stamp of counters (the format before version tokens)', { g: 0, k: 0 }],
    ['half a stamp', { g: 'generation-1' }],
    ['not an object', 'generation-1:version-1'],
    ['a primary that is not text', { g: 'generation-1', k: 'version-1', p: 7 }],
  ])('never serves an entry from Redis with %s', (_case, stamp) => {
    expect(guard().isCurrent(stamp, { g: 'generation-1', k: 'version-1', p: 'primary-1' })).toBe(false);
  });

  it('refuses to write to a Redis it does not have', async () => {
    await expect(
      guard().writeIfCurrent('plans:user_1', { g: 'g', k: 'k' }, '{}', { ttlMs: 1_000, until: Date.now() + 1_000 }),
    ).rejects.toThrow('No Redis to write to');
  });
});
