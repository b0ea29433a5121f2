import { jest } from '@jest/globals';
import type { RedisTier } from '../drivers/redis-tier.js';
import { newEntry, type EntryLife } from './cache-entry.js';
import type { LoadStamp } from './stale-set-guard.js';
import { NamespaceTiers } from './namespace-tiers.js';
import type { NamespaceOptions, NamespaceWatcher } from './namespace-options.js';

const FIVE_MINUTES: EntryLife = { freshMs: 300_000, usableMs: 300_000 };

/** The tiers alone (CacheNamespace adds loading and writing): values are put in the in-process tier directly. */
class Tiers extends NamespaceTiers<string> {
  put(key: string, value: string, life: EntryLife = FIVE_MINUTES): void {
    this.local?.write(key, newEntry(value, life));
  }

  stampHere(): LoadStamp {
    return this.staleSets.stampHere();
  }

  mayStoreHere(key: string, stamp: LoadStamp): boolean {
    return this.staleSets.mayStoreHere(key, stamp);
  }
}

const tiers = (options: Partial<NamespaceOptions> = {}, remote?: () => RedisTier<string>) =>
  new Tiers('plans', { enabled: true, ttlMs: 300_000, maxEntries: 10, ...options }, remote);

describe('NamespaceTiers', () => {
  it('answers a fresh value from memory, counting one in-process hit, and nothing for a key it lacks', () => {
    const namespace = tiers();
    namespace.put('plans:user_1', 'list 1');
    expect(namespace.get('plans:user_1')).toBe('list 1');
    expect(namespace.get('plans:user_2')).toBeUndefined();
    expect(namespace.snapshot()).toMatchObject({ hits: 1, l1_hits: 1, misses: 0, local_cache_size: 1 });
  });

  it('does not answer a value past its freshness from get, and still shows it to peek during its grace', () => {
    const namespace = tiers();
    namespace.put('plans:user_1', 'in its grace', { freshMs: 0, usableMs: 60_000 });
    expect(namespace.get('plans:user_1')).toBeUndefined();
    expect(namespace.peek('plans:user_1')).toBe('in its grace');
    expect(namespace.snapshot().l1_hits).toBe(0);
  });

  it('drops invalidated keys here, says how many it held, tells its watchers, and refuses loads stamped before', async () => {
    const namespace = tiers();
    const watcher: NamespaceWatcher<string> = { dropped: jest.fn() };
    namespace.watch(watcher);
    namespace.put('plans:user_1', 'list 1');
    namespace.put('plans:user_2', 'list 2');
    const loading = namespace.stampHere();
    expect(await namespace.invalidate(['plans:user_1', 'plans:user_9'])).toBe(1);
    expect(namespace.peek('plans:user_1')).toBeUndefined();
    expect(namespace.peek('plans:user_2')).toBe('list 2');
    expect(watcher.dropped).toHaveBeenCalledWith(['plans:user_1', 'plans:user_9']);
    expect(namespace.mayStoreHere('plans:user_1', loading)).toBe(false);
    expect(namespace.mayStoreHere('plans:user_2', loading)).toBe(true);
    expect(namespace.snapshot()).toMatchObject({ invalidations: 2, tracked_versions: 2, local_cache_size: 1 });
  });

  it('clears every key here, says how many it held, tells its watchers all went, and refuses every load stamped before', async () => {
    const namespace = tiers();
    const watcher: NamespaceWatcher<string> = { dropped: jest.fn() };
    namespace.watch(watcher);
    namespace.put('plans:user_1', 'list 1');
    namespace.put('plans:user_2', 'list 2');
    const loading = namespace.stampHere();
    expect(await namespace.clear()).toBe(2);
    expect(namespace.snapshot()).toMatchObject({ local_cache_size: 0, invalidations: 1 });
    expect(watcher.dropped).toHaveBeenCalledWith(undefined);
    expect(namespace.mayStoreHere('plans:user_3', loading)).toBe(false);
    expect(namespace.mayStoreHere('plans:user_3', namespace.stampHere())).toBe(true);
  });

  it('never makes the Redis tier of a disabled namespace, and keeps nothing', () => {
    const remote = jest.fn<() => RedisTier<string>>();
    const namespace = tiers({ enabled: false }, remote);
    expect(remote).not.toHaveBeenCalled();
    namespace.put('plans:user_1', 'list 1');
    expect(namespace.get('plans:user_1')).toBeUndefined();
    expect([namespace.storing, namespace.redisEnabled]).toEqual([false, false]);
    expect(namespace.snapshot()).toMatchObject({ enabled: false, local_max_size: 0 });
  });

  it('has no in-process tier with maxEntries 0', () => {
    const namespace = tiers({ maxEntries: 0 });
    namespace.put('plans:user_1', 'list 1');
    expect(namespace.peek('plans:user_1')).toBeUndefined();
    expect(namespace.storing).toBe(false);
  });

  it('answers for the shared tier without Redis: nothing there, no keys, no size, nothing to announce', async () => {
    const namespace = tiers();
    expect(await namespace.readShared('plans:user_1')).toBeUndefined();
    expect(await namespace.sharedKeys(10)).toEqual([]);
    expect(namespace.sharedSize()).toBeNull();
    await expect(namespace.announceReplaced('plans:user_1', 'stored_locally')).resolves.toBeUndefined();
    expect(namespace.snapshot().redis_cache_size).toBeNull();
  });

  it('counts what code outside the engine records as events, and reports the hit ratio', () => {
    const namespace = tiers();
    const about = { namespace: 'plans', key: 'plans:user_1' };
    const entry = newEntry('list', { freshMs: 1000, usableMs: 1000 });
    namespace.record({ ...about, type: 'hit', tier: 'l2', match: 'exact', entry });
    namespace.record({ ...about, type: 'hit', tier: 'l1', match: 'exact', entry });
    namespace.record({ ...about, type: 'miss' });
    namespace.record({ ...about, type: 'stale', entry });
    namespace.record({ ...about, type: 'refused', reason: 'fast' });
    namespace.record({ ...about, type: 'coalesced' });
    expect(namespace.snapshot()).toMatchObject({
      hits: 2,
      l1_hits: 1,
      l2_hits: 1,
      misses: 1,
      stale_hits: 1,
      skipped_fast: 1,
      coalesced: 1,
      hit_ratio: 0.6667,
    });
  });
});
