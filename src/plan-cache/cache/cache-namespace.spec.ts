import { jest } from '@jest/globals';
import { CacheNamespace } from './cache-namespace.js';

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function namespace(
  overrides: Partial<{ enabled: boolean; ttlMs: number; maxEntries: number; frequencyAdmission: boolean }> = {},
) {
  return new CacheNamespace<string>('plans', { enabled: true, ttlMs: 300_000, maxEntries: 10, ...overrides });
}

describe('CacheNamespace', () => {
  afterEach(() => jest.useRealTimers());

  it('loads on a miss, then answers from the cache without the loader', async () => {
    const cache = namespace();
    const load = jest.fn(async () => 'list-v1');
    expect(await cache.getOrLoad('plans', load)).toEqual({ value: 'list-v1', cached: false });
    expect(await cache.getOrLoad('plans', load)).toEqual({ value: 'list-v1', cached: true });
    expect(cache.get('plans')).toBe('list-v1');
    expect(load).toHaveBeenCalledTimes(1);
    expect(cache.snapshot()).toMatchObject({ hits: 2, l1_hits: 2, misses: 1, sets: 1, local_cache_size: 1 });
  });

  it('runs the loader once for concurrent misses of one key', async () => {
    const cache = namespace();
    const gate = deferred<string>();
    const load = jest.fn(() => gate.promise);
    const callers = Array.from({ length: 25 }, () => cache.getOrLoad('plans:user_1', load));
    gate.resolve('shared');
    const results = await Promise.all(callers);
    expect(load).toHaveBeenCalledTimes(1);
    expect(results.every((result) => result.value === 'shared')).toBe(true);
    expect(cache.snapshot()).toMatchObject({ misses: 25, coalesced: 24, sets: 1 });
  });

  it('keeps loads of different keys apart', async () => {
    const cache = namespace();
    const load = jest.fn(async () => 'value');
    await Promise.all([cache.getOrLoad('a', load), cache.getOrLoad('b', load)]);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('never stores a value loaded before an invalidation of its key (stale set)', async () => {
    const cache = namespace();
    const oldRead = deferred<string>();
    const reader = cache.getOrLoad('plans', () => oldRead.promise);
    await cache.invalidate(['plans']); // a write committed while the read was in the database
    oldRead.resolve('old list');
    expect((await reader).value).toBe('old list'); // its own caller began before the write
    expect(cache.get('plans')).toBeUndefined();
    expect(cache.snapshot().refused_sets).toBe(1);
    const fresh = await cache.getOrLoad('plans', async () => 'new list');
    expect(fresh).toEqual({ value: 'new list', cached: false });
    expect(cache.get('plans')).toBe('new list');
  });

  it('never stores a value loaded before the namespace was cleared', async () => {
    const cache = namespace();
    const oldRead = deferred<string>();
    const reader = cache.getOrLoad('plans:type_pppoe', () => oldRead.promise);
    await cache.clear();
    oldRead.resolve('old list');
    await reader;
    expect(cache.get('plans:type_pppoe')).toBeUndefined();
  });

  it('does not let a request that starts after an invalidation join a load from before it', async () => {
    const cache = namespace();
    const oldRead = deferred<string>();
    const before = cache.getOrLoad('plans', () => oldRead.promise);
    await cache.invalidate(['plans']);
    const after = cache.getOrLoad('plans', async () => 'new list');
    oldRead.resolve('old list');
    expect((await after).value).toBe('new list');
    expect((await before).value).toBe('old list');
    expect(cache.get('plans')).toBe('new list');
  });

  it('hides an entry whose write finished after an invalidation it raced with', async () => {
    const cache = namespace();
    const read = deferred<string>();
    const reader = cache.getOrLoad('plans', () => read.promise);
    read.resolve('old list');
    // The invalidation lands while the write goes through the asynchronous tiers.
    await Promise.resolve();
    await cache.invalidate(['plans']);
    await reader;
    expect(cache.get('plans')).toBeUndefined();
  });

  it('drops exactly the invalidated keys', async () => {
    const cache = namespace();
    for (const key of ['plans', 'plans:user_1', 'plans:user_2']) await cache.getOrLoad(key, async () => key);
    await cache.invalidate(['plans', 'plans:user_1']);
    expect(cache.get('plans')).toBeUndefined();
    expect(cache.get('plans:user_1')).toBeUndefined();
    expect(cache.get('plans:user_2')).toBe('plans:user_2');
  });

  it('clears everything and reports how many entries it held', async () => {
    const cache = namespace();
    for (const key of ['a', 'b', 'c']) await cache.getOrLoad(key, async () => key);
    expect(await cache.clear()).toBe(3);
    expect(cache.snapshot().local_cache_size).toBe(0);
    expect(cache.get('a')).toBeUndefined();
  });

  it('evicts the least recently used entry beyond its size, and counts it', async () => {
    const cache = namespace({ maxEntries: 2 });
    await cache.getOrLoad('a', async () => 'a');
    await cache.getOrLoad('b', async () => 'b');
    cache.get('a'); // a is now more recent than b
    await cache.getOrLoad('c', async () => 'c');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('a');
    expect(cache.get('c')).toBe('c');
    expect(cache.snapshot()).toMatchObject({ evictions: 1, local_cache_size: 2, local_max_size: 2 });
  });

  it('with frequency admission, keeps warmed and busy keys when a full tier is offered keys asked for once', async () => {
    const cache = namespace({ maxEntries: 3, frequencyAdmission: true });
    await cache.warm('warmed', async () => 'warmed');
    await cache.getOrLoad('busy', async () => 'busy');
    for (let i = 0; i < 3; i++) cache.get('busy');
    await cache.getOrLoad('first-one-off', async () => 'first'); // room left: admitted
    const load = jest.fn(async () => 'one-off');
    for (let i = 0; i < 30; i++) {
      expect(await cache.getOrLoad(`one-off-${i}`, load)).toEqual({ value: 'one-off', cached: false });
    }
    expect(load).toHaveBeenCalledTimes(30); // each answered, none kept
    expect(cache.get('warmed')).toBe('warmed');
    expect(cache.get('busy')).toBe('busy');
    expect(cache.snapshot()).toMatchObject({ not_admitted: 30, evictions: 0, sets: 3, local_cache_size: 3 });
  });

  it('forgets entries after their TTL', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-24T10:00:00Z') });
    const cache = namespace({ ttlMs: 60_000 });
    await cache.getOrLoad('plans', async () => 'list');
    jest.setSystemTime(new Date('2026-11-24T10:00:59Z'));
    expect(cache.get('plans')).toBe('list');
    jest.setSystemTime(new Date('2026-11-24T10:01:01Z'));
    expect(cache.get('plans')).toBeUndefined();
  });

  it('keeps an entry past its freshMs through the rest of its TTL, for readers that judge it by its life', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-24T10:00:00Z') });
    const cache = new CacheNamespace<string>('plan', {
      enabled: true,
      ttlMs: 600_000,
      freshMs: 60_000,
      maxEntries: 10,
    });
    await cache.set('plan:1', 'plan', await cache.stamp('plan:1'));
    const created = Date.now();
    expect(cache.peekEntry('plan:1')).toMatchObject({
      value: 'plan',
      createdAt: created,
      freshUntil: created + 60_000,
      usableUntil: created + 600_000,
    });
    jest.setSystemTime(created + 61_000);
    expect(cache.get('plan:1')).toBeUndefined();
    expect(cache.peekEntry('plan:1')?.value).toBe('plan');
    jest.setSystemTime(created + 601_000);
    expect(cache.peekEntry('plan:1')).toBeUndefined();
  });

  it('stores nothing when disabled or sized 0, but still coalesces loads', async () => {
    for (const cache of [namespace({ enabled: false }), namespace({ maxEntries: 0 })]) {
      const gate = deferred<string>();
      const load = jest.fn(() => gate.promise);
      const both = Promise.all([cache.getOrLoad('k', load), cache.getOrLoad('k', load)]);
      gate.resolve('v');
      await both;
      expect(load).toHaveBeenCalledTimes(1);
      expect((await cache.getOrLoad('k', async () => 'again')).cached).toBe(false);
      expect(cache.snapshot()).toMatchObject({ local_cache_size: 0, local_max_size: 0, sets: 0 });
    }
  });

  it('never makes a Redis tier (nor its timers) for a disabled namespace', () => {
    const makeRemote = jest.fn(() => {
      throw new Error('a disabled namespace must not build its Redis tier');
    });
    const cache = new CacheNamespace<string>('plan', { enabled: false, ttlMs: 60_000, maxEntries: 10 }, makeRemote);
    expect(makeRemote).not.toHaveBeenCalled();
    expect(cache.redisEnabled).toBe(false);
  });

  it('lets a failed load fail its callers and caches nothing', async () => {
    const cache = namespace();
    await expect(cache.getOrLoad('k', async () => Promise.reject(new Error('database down')))).rejects.toThrow(
      'database down',
    );
    expect(cache.get('k')).toBeUndefined();
    expect((await cache.getOrLoad('k', async () => 'back')).value).toBe('back');
  });
});
