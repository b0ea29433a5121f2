import calculateSlot from 'cluster-key-slot';
import { RedisKeys } from './redis-keys.js';

describe('RedisKeys', () => {
  it('names keys on one server as it always did (a rolling upgrade reads the last build’s entries)', () => {
    const keys = new RedisKeys('plan-cache');
    expect(keys.entry('plans', 'plans:user_1')).toBe('plan-cache:plans:plans:user_1');
    expect(keys.version('plans:user_1')).toBe('plan-cache:ver:plans:user_1');
    expect(keys.generation('plans')).toBe('plan-cache:gen:plans');
    expect(keys.index('plans')).toBe('plan-cache:index:plans');
    expect(keys.entryPattern('plans')).toBe('plan-cache:plans:*');
    expect(keys.grouped('experiment:x', 'experiment', 'x', 'control')).toBe('plan-cache:experiment:x:control');
    expect(keys.buckets).toEqual(['']);
  });

  it('puts an entry, its version, and its bucket’s generation and index in one cluster slot', () => {
    const keys = new RedisKeys('plan-cache', true);
    for (const key of ['plans:user_1', 'plan:0123456789abcdef', 'with {braces} inside', 'юникод']) {
      const bucket = keys.bucketOf(key);
      const slots = new Set(
        [
          keys.entry('plans', key),
          keys.version(key),
          keys.generation('plans', bucket),
          keys.index('plans', bucket),
        ].map((name) => calculateSlot(name)),
      );
      expect(slots.size).toBe(1);
    }
  });

  it('spreads a namespace over 64 buckets whose slots are evenly spaced, so over every primary', () => {
    const keys = new RedisKeys('plan-cache', true);
    const slots = keys.buckets.map((bucket) => calculateSlot(keys.index('plans', bucket)));
    expect(new Set(slots).size).toBe(64);
    slots.forEach((slot, i) => expect(Math.floor(slot / 256)).toBe(i));
    // 3 primaries owning even ranges: each holds a third of 6,000 keys, within 10 % of it.
    const owners = [0, 0, 0];
    for (let i = 0; i < 6000; i++)
      owners[Math.min(2, Math.floor(calculateSlot(keys.entry('plans', `key ${i}`)) / 5461))]++;
    for (const count of owners) expect(Math.abs(count / 6000 - 1 / 3)).toBeLessThan(0.1 / 3);
  });

  it('groups keys by bucket, and tags keys a script touches together', () => {
    const keys = new RedisKeys('plan-cache', true);
    const groups = keys.byBucket(['a', 'b', 'c', 'a2']);
    expect([...groups.values()].flat().sort()).toEqual(['a', 'a2', 'b', 'c']);
    for (const [bucket, group] of groups) for (const key of group) expect(keys.bucketOf(key)).toBe(bucket);
    const mark = keys.grouped('experiment:x', 'experiment-flush', 'x', 'id');
    const counters = keys.grouped('experiment:x', 'experiment', 'x', 'control');
    expect(calculateSlot(mark)).toBe(calculateSlot(counters));
  });
});
