import { entryAge, isFreshFor, isUsableFor, newEntry } from './cache-entry.js';

describe('an entry’s life', () => {
  const created = 1_000_000;
  // Fresh for 60 s, then usable for 10 minutes more.
  const entry = newEntry('plan', { freshMs: 60_000, usableMs: 660_000 }, created);

  it('is counted from when the entry was stored', () => {
    expect(entry).toMatchObject({ createdAt: created, freshUntil: created + 60_000, usableUntil: created + 660_000 });
    expect(entryAge(entry, created + 42_000)).toBe(42_000);
  });

  it('keeps an entry fresh until its freshUntil, and no longer', () => {
    expect(isFreshFor(entry, { now: created + 59_999 })).toBe(true);
    expect(isFreshFor(entry, { now: created + 60_000 })).toBe(false);
  });

  it('lets a reader narrow freshness to its own, never widen it', () => {
    expect(isFreshFor(entry, { now: created + 20_000, freshMs: 30_000 })).toBe(true);
    expect(isFreshFor(entry, { now: created + 30_000, freshMs: 30_000 })).toBe(false);
    expect(isFreshFor(entry, { now: created + 90_000, freshMs: 3_600_000 })).toBe(false);
  });

  it('narrows freshness to a request’s max-age, which an entry exactly that old still meets', () => {
    expect(isFreshFor(entry, { now: created + 10_000, maxAgeMs: 10_000 })).toBe(true);
    expect(isFreshFor(entry, { now: created + 10_001, maxAgeMs: 10_000 })).toBe(false);
    expect(isFreshFor(entry, { now: created + 5_000, freshMs: 30_000, maxAgeMs: 0 })).toBe(false);
  });

  it('keeps an expired entry usable through its grace, narrowed by a reader that keeps it for less', () => {
    expect(isUsableFor(entry, { now: created + 659_999 })).toBe(true);
    expect(isUsableFor(entry, { now: created + 660_000 })).toBe(false);
    expect(isUsableFor(entry, { now: created + 100_000, usableMs: 120_000 })).toBe(true);
    expect(isUsableFor(entry, { now: created + 120_000, usableMs: 120_000 })).toBe(false);
    expect(isUsableFor(entry, { now: created + 700_000, usableMs: 3_600_000 })).toBe(false);
  });

  it('is usable at least as long as it is fresh', () => {
    const clipped = newEntry('plan', { freshMs: 60_000, usableMs: 10_000 }, created);
    expect(clipped.usableUntil).toBe(created + 60_000);
    expect(isUsableFor(clipped, { now: created + 59_999 })).toBe(true);
  });
});
