import { InvalidationBus } from '../src/plan-cache/bus/invalidation-bus.js';
import { newEntry, type CacheEntry } from '../src/plan-cache/cache/cache-entry.js';
import { StaleSetGuard } from '../src/plan-cache/cache/stale-set-guard.js';
import type { ValueCodec } from '../src/plan-cache/cache/value-codec.js';
import { RedisTier } from '../src/plan-cache/drivers/redis-tier.js';
import { RedisConnection } from '../src/plan-cache/redis/redis-connection.js';
import { eventually } from './support/eventually.js';
import { standaloneAt, useRedisServer } from './support/redis-server.js';
import { describeWith, REDIS_SERVER } from './support/services.js';

const NAMESPACE = 'plans';
const VERSION_TTL_MS = 60_000;
/** Values are strings; anything else in Redis was not written by this namespace. */
const TEXT: ValueCodec<string> = { decode: (json) => (typeof json === 'string' ? json : undefined) };

/** One instance's side of Redis for the namespace, and what it heard from the others. */
async function instance(url: string) {
  const connection = new RedisConnection({
    access: standaloneAt(url),
    keyPrefix: 'plan-cache',
    timeoutMs: 1000,
    breakerResetMs: 500,
  });
  const bus = new InvalidationBus(connection);
  connection.start();
  await bus.start();
  await eventually(() => connection.connected && bus.listening, 5_000, 'connected and listening');
  const guard = new StaleSetGuard(30_000, { connection, namespace: NAMESPACE, versionTtlMs: VERSION_TTL_MS });
  const heard = { invalidated: [] as (string[] | undefined)[], stored: [] as string[][], resyncs: 0 };
  const tier = new RedisTier<string>(NAMESPACE, connection, bus, TEXT);
  tier.attach({
    versionTtlMs: VERSION_TTL_MS,
    guard,
    listener: {
      onRemoteInvalidation: (keys) => heard.invalidated.push(keys),
      onBusResync: () => heard.resyncs++,
      onRemoteStore: (keys) => heard.stored.push(keys),
    },
  });
  /** Writes `value` under the versions Redis holds for `key` now, as a load that begins and ends at once. */
  const store = async (key: string, value: string, life = { freshMs: 60_000, usableMs: 120_000 }) => {
    const entry = newEntry(value, life);
    return { entry, written: await tier.write(key, entry, (await guard.stamp(key)).remote!) };
  };
  return { connection, tier, guard, heard, store, keys: connection.keys };
}

describeWith(REDIS_SERVER)('The Redis tier of a namespace, on a redis-server of its own', () => {
  let a: Awaited<ReturnType<typeof instance>>;
  let b: Awaited<ReturnType<typeof instance>>;
  // Jest runs afterAll hooks in the order they are declared: the connections close before the server stops.
  afterAll(async () => {
    await a?.connection.close();
    await b?.connection.close();
  });
  const server = useRedisServer();

  beforeAll(async () => {
    [a, b] = [await instance(server().url), await instance(server().url)];
  });

  it('writes an entry under the stamp of its load, and another instance reads it back with its whole life', async () => {
    const { entry, written } = await a.store('plans:user_1', 'list 1');
    expect(written).toBe(true);
    const read = await b.tier.read('plans:user_1');
    expect(read).toEqual<CacheEntry<string>>({
      value: 'list 1',
      createdAt: entry.createdAt,
      freshUntil: entry.freshUntil,
      usableUntil: entry.usableUntil,
      // The versions, and the replication id of the primary that holds them.
      stamp: { g: expect.any(String), k: expect.any(String), p: expect.stringMatching(/^[0-9a-f]{40}$/) },
    });
    // Kept in Redis until the end of its grace, not of its freshness.
    const ttl = await a.connection.client.pTTL(a.keys.entry(NAMESPACE, 'plans:user_1'));
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
  });

  it('refuses to write a value loaded before another instance invalidated its key', async () => {
    const stamp = (await a.guard.stamp('plans:user_2')).remote!;
    await b.tier.invalidate(['plans:user_2']); // a write was committed while a was loading
    expect(await a.tier.write('plans:user_2', newEntry('old list', { freshMs: 60_000, usableMs: 60_000 }), stamp)).toBe(
      false,
    );
    expect(await b.tier.read('plans:user_2')).toBeUndefined();
  });

  it('hides an entry whose key was invalidated after it was written, should it be back in Redis', async () => {
    await a.store('plans:user_3', 'list 3');
    const entryKey = a.keys.entry(NAMESPACE, 'plans:user_3');
    const envelope = await a.connection.client.get(entryKey);
    await a.tier.invalidate(['plans:user_3']);
    await a.connection.client.set(entryKey, envelope!); // a late stale write, or a delete that failed
    expect(await b.tier.read('plans:user_3')).toBeUndefined();
  });

  it('treats malformed envelopes and values the codec refuses as misses', async () => {
    const stamp = (await a.guard.stamp('plans:user_4')).remote!;
    const until = Date.now() + 60_000;
    for (const planted of [
      'not json at all',
      JSON.stringify('a string'),
      JSON.stringify({ value: 'no end', remote: stamp }),
      JSON.stringify({ value: 'an end that is no number', remote: stamp, until: 'tomorrow' }),
      JSON.stringify({ value: 'a freshness that is no number', remote: stamp, until, fresh_until: 'soon' }),
      JSON.stringify({ value: 42, remote: stamp, until }), // not a value of this namespace
    ]) {
      await a.connection.client.set(a.keys.entry(NAMESPACE, 'plans:user_4'), planted);
      expect(await b.tier.read('plans:user_4')).toBeUndefined();
    }
    await a.connection.client.set(
      a.keys.entry(NAMESPACE, 'plans:user_4'),
      JSON.stringify({ value: 'well formed', remote: stamp, until }),
    );
    expect((await b.tier.read('plans:user_4'))?.value).toBe('well formed');
  });

  it('clears the namespace: hides every entry at once, then deletes its own keys and no one else’s', async () => {
    await a.store('plans:user_5', 'list 5');
    await a.store('plans:user_6', 'list 6');
    await a.connection.client.set('someone-else:data', 'keep me');
    await a.connection.client.set(a.keys.entry('plan', 'another-namespace'), 'keep me too');
    await b.tier.invalidateAll();
    expect(await a.tier.read('plans:user_5')).toBeUndefined();
    expect(await a.tier.read('plans:user_6')).toBeUndefined();
    await eventually(
      async () => (await a.connection.client.keys(a.keys.entryPattern(NAMESPACE))).length === 0,
      5_000,
      'the entries deleted',
    );
    expect(await a.connection.client.get('someone-else:data')).toBe('keep me');
    expect(await a.connection.client.get(a.keys.entry('plan', 'another-namespace'))).toBe('keep me too');
  });

  it('tells the other instances of invalidations, clears, replaced values and stores, and never itself', async () => {
    const [aHeard, bHeard] = [a.heard.invalidated.length, b.heard.invalidated.length];
    await a.tier.invalidate(['plans:user_7']);
    await a.tier.invalidateAll();
    await a.tier.announce(['plans:user_8']);
    await a.tier.announceStored(['plans:user_9']);
    await eventually(() => b.heard.stored.length > 0, 5_000, 'the store announced');
    expect(b.heard.invalidated.slice(bHeard)).toEqual([['plans:user_7'], undefined, ['plans:user_8']]);
    expect(b.heard.stored).toEqual([['plans:user_9']]);
    expect(a.heard.invalidated.length).toBe(aHeard);
  });

  it('lists the live keys, those that live longest first, and counts the entries without a scan', async () => {
    await a.tier.invalidateAll();
    await a.store('plans:short', 'short', { freshMs: 30_000, usableMs: 30_000 });
    await a.store('plans:long', 'long', { freshMs: 90_000, usableMs: 90_000 });
    await a.store('plans:longest', 'longest', { freshMs: 120_000, usableMs: 120_000 });
    expect(await b.tier.liveKeys(2)).toEqual(['plans:longest', 'plans:long']);
    await eventually(() => a.tier.size() === 3, 5_000, 'the entries counted');
  });

  it('writes nothing for an entry already past its end, and says so as a success', async () => {
    const ended = newEntry('ended', { freshMs: -1_000, usableMs: -1_000 });
    const stamp = (await a.guard.stamp('plans:user_10')).remote!;
    expect(await a.tier.write('plans:user_10', ended, stamp)).toBe(true);
    expect(await a.connection.client.exists(a.keys.entry(NAMESPACE, 'plans:user_10'))).toBe(0);
  });

  it('remembers an invalidation made while Redis was away, and makes it once Redis is back', async () => {
    await server().kill();
    await eventually(() => !a.connection.connected, 5_000, 'a lost Redis');
    await a.tier.invalidate(['plans:user_11']); // neither Redis nor the bus can take it now
    const [heard, resyncs] = [b.heard.invalidated.length, b.heard.resyncs];
    await server().start(); // empty: nothing of before the outage is left
    await eventually(
      async () => a.connection.connected && (await a.connection.client.exists(a.keys.version('plans:user_11'))) === 1,
      10_000,
      'the key version given again',
    );
    // b drops its copy either way: told of the key, or, had the message come before b was listening
    // again, everything, since its bus was down.
    await eventually(
      () =>
        b.heard.invalidated.slice(heard).some((keys) => keys?.includes('plans:user_11') ?? false) ||
        b.heard.resyncs > resyncs,
      10_000,
      'the other instance told',
    );
  });
});
