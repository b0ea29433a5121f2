import { CacheNamespace } from '../cache/cache-namespace.js';
import { newEntry } from '../cache/cache-entry.js';
import type { CacheEvent } from './cache-events.js';

const life = { freshMs: 1000, usableMs: 1000 };

function namespace(overrides: Partial<{ maxEntries: number; frequencyAdmission: boolean }> = {}) {
  return new CacheNamespace<string>('lists', { enabled: true, ttlMs: 300000, maxEntries: 10, ...overrides });
}

function listened(cache: CacheNamespace<string>): CacheEvent<string>[] {
  const events: CacheEvent<string>[] = [];
  cache.subscribe((event) => events.push(event));
  return events;
}

describe('the events of a cache namespace', () => {
  it('tells its subscribers of each miss, store, coalesced load and hit, with the tier and the value', async () => {
    const cache = namespace();
    const events = listened(cache);
    const load = async () => 'list-v1';
    await Promise.all([cache.getOrLoad('all', load), cache.getOrLoad('all', load)]);
    await cache.getOrLoad('all', load);
    expect(events).toEqual([
      { type: 'coalesced', namespace: 'lists', key: 'all' },
      { type: 'stored', namespace: 'lists', key: 'all' },
      { type: 'miss', namespace: 'lists', key: 'all' },
      { type: 'miss', namespace: 'lists', key: 'all' },
      {
        type: 'hit',
        namespace: 'lists',
        key: 'all',
        tier: 'l1',
        match: 'exact',
        entry: expect.objectContaining({ value: 'list-v1' }),
      },
    ]);
  });

  it('counts the same with or without subscribers (the hot path makes no event for nobody)', async () => {
    const work = async (cache: CacheNamespace<string>) => {
      const load = async () => 'list-v1';
      await Promise.all([cache.getOrLoad('all', load), cache.getOrLoad('all', load)]);
      cache.get('all');
      cache.get('missing');
      const stamp = await cache.stamp('users');
      await cache.invalidate(['users']);
      await cache.set('users', 'old users', stamp);
      return cache.snapshot();
    };
    const quiet = await work(namespace());
    const heard = namespace();
    const events = listened(heard);
    expect(await work(heard)).toEqual(quiet);
    expect(quiet).toMatchObject({ l1_hits: 1, misses: 2, coalesced: 1, sets: 1, refused_sets: 1 });
    expect(events.filter((event) => event.type === 'refused')).toEqual([
      { type: 'refused', namespace: 'lists', key: 'users', reason: 'invalidated' },
    ]);
  });

  it('tells of a value a full tier turned away (frequency admission)', async () => {
    const cache = namespace({ maxEntries: 1, frequencyAdmission: true });
    for (let read = 0; read < 5; read++) await cache.getOrLoad('busy', async () => 'busy list');
    const events = listened(cache);
    await cache.getOrLoad('once', async () => 'one-off list');
    expect(events.filter((event) => event.type === 'refused')).toEqual([
      { type: 'refused', namespace: 'lists', key: 'once', reason: 'not_admitted' },
    ]);
    expect(cache.snapshot().not_admitted).toBe(1);
  });

  it('counts and passes on what a domain records, with its match, scope and variant', () => {
    const cache = namespace();
    const events = listened(cache);
    const about = { namespace: 'lists', key: 'all', scope: 'acme', variant: 'long-ttl', tenant: 'acme' };
    cache.record({ ...about, type: 'hit', tier: 'l2', match: 'semantic', entry: newEntry('near list', life) });
    cache.record({ ...about, type: 'miss' });
    cache.record({ ...about, type: 'stale', entry: newEntry('old list', life) });
    cache.record({ ...about, type: 'refused', reason: 'fast' });
    cache.record({ ...about, type: 'coalesced' });
    expect(events.map((event) => event.type)).toEqual(['hit', 'miss', 'stale', 'refused', 'coalesced']);
    expect(events[0]).toMatchObject({ match: 'semantic', scope: 'acme', variant: 'long-ttl', tenant: 'acme' });
    expect(cache.snapshot()).toMatchObject({
      l2_hits: 1,
      misses: 1,
      stale_hits: 1,
      skipped_fast: 1,
      coalesced: 1,
    });
  });

  it('stops telling a subscriber that unsubscribed', async () => {
    const cache = namespace();
    const events: CacheEvent<string>[] = [];
    const unsubscribe = cache.subscribe((event) => events.push(event));
    await cache.getOrLoad('all', async () => 'list-v1');
    unsubscribe();
    cache.get('all');
    expect(events.map((event) => event.type)).toEqual(['stored', 'miss']);
    expect(cache.snapshot().l1_hits).toBe(1);
  });
});
