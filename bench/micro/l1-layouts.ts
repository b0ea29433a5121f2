import { CacheableMemory } from 'cacheable';
import { newEntry } from '../../src/plan-cache/cache/cache-entry.js';
import { LocalTier } from '../../src/plan-cache/drivers/local-tier.js';
import { median, timedHits } from './timed-hits.js';

/**
 * In-process layouts for the hit path, measured against one another: what one hit costs from 100
 * to 100,000 entries (a hot set and keys spread over the cache), and the heap one entry takes
 * beyond its value. Every layout keeps a TTL per entry, as the service's tier must. Run with
 * --expose-gc; prints one JSON line.
 */
interface Layout {
  set(key: string, value: object, ttlMs: number): void;
  get(key: string): object | undefined;
}

type LayoutFactory = (capacity: number) => Layout;

/** cacheable's CacheableMemory as the service's tier used it (entries as CacheEntry): LRU list, TTL, hooks and stats. */
const cacheableMemory: LayoutFactory = (capacity) => {
  const memory = new CacheableMemory({ lruSize: capacity, useClone: false, storeHashSize: 1 });
  return {
    set: (key, value, ttlMs) => memory.set(key, newEntry(value, { freshMs: ttlMs, usableMs: ttlMs }), ttlMs),
    get: (key) => memory.get<{ value: object }>(key)?.value,
  };
};

/** The service's tier (LocalTier): isaacs' lru-cache, an LRU over typed arrays, TTL checked on read. */
const lruCache: LayoutFactory = (capacity) => {
  const tier = new LocalTier<object>(capacity);
  return {
    set: (key, value, ttlMs) => tier.write(key, newEntry(value, { freshMs: ttlMs, usableMs: ttlMs })),
    get: (key) => tier.read(key)?.value,
  };
};

interface Slot {
  value: object;
  expires: number;
  used: boolean;
}

/** One Map in insertion order, the entry moved to the end on a hit (delete and set again). */
const mapMoveOnHit: LayoutFactory = (capacity) => {
  const map = new Map<string, Slot>();
  return {
    set(key, value, ttlMs) {
      map.delete(key);
      if (map.size >= capacity) map.delete(map.keys().next().value!);
      map.set(key, { value, expires: Date.now() + ttlMs, used: false });
    },
    get(key) {
      const slot = map.get(key);
      if (slot === undefined || slot.expires <= Date.now()) return undefined;
      map.delete(key);
      map.set(key, slot);
      return slot.value;
    },
  };
};

/** CLOCK: a hit only sets a flag; eviction sweeps the insertion order, giving flagged entries a second chance. */
const clock: LayoutFactory = (capacity) => {
  const map = new Map<string, Slot>();
  return {
    set(key, value, ttlMs) {
      map.delete(key);
      while (map.size >= capacity) {
        const [oldest, slot] = map.entries().next().value!;
        map.delete(oldest);
        if (slot.used) {
          slot.used = false;
          map.set(oldest, slot);
        }
      }
      map.set(key, { value, expires: Date.now() + ttlMs, used: false });
    },
    get(key) {
      const slot = map.get(key);
      if (slot === undefined || slot.expires <= Date.now()) return undefined;
      slot.used = true;
      return slot.value;
    },
  };
};

export const LAYOUTS: Record<string, LayoutFactory> = {
  'cacheable CacheableMemory (LRU list)': cacheableMemory,
  'lru-cache (LRU over typed arrays), the service’s LocalTier': lruCache,
  'one Map, moved on a hit': mapMoveOnHit,
  'one Map, CLOCK (a flag on a hit)': clock,
};

const SIZES = [100, 1_000, 10_000, 100_000];
const ROUNDS = 5;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const keyOf = (index: number) => `plan:${index.toString(16).padStart(16, '0')}`;

function filled(factory: LayoutFactory, entries: number): Layout {
  const layout = factory(entries);
  for (let index = 0; index < entries; index++) layout.set(keyOf(index), { index }, 3_600_000);
  return layout;
}

function keysFor(entries: number, distinct: number): string[] {
  const step = Math.max(1, Math.floor(entries / distinct));
  return Array.from({ length: 4096 }, (_, i) => keyOf(((i % distinct) * step) % entries));
}

/** Heap bytes per entry beyond its key and value: 100,000 entries, after full collections. */
function overheadPerEntry(factory: LayoutFactory): number {
  const entries = 100_000;
  const keys = Array.from({ length: entries }, (_, index) => keyOf(index));
  const values = keys.map((_, index) => ({ index }));
  gc!();
  const before = process.memoryUsage().heapUsed;
  const layout = factory(entries);
  for (let index = 0; index < entries; index++) layout.set(keys[index], values[index], 3_600_000);
  gc!();
  const bytes = (process.memoryUsage().heapUsed - before) / entries;
  if (layout.get(keys[0]) !== values[0]) throw new Error('the entries were not kept');
  return Math.round(bytes);
}

export interface LayoutCost {
  layout: string;
  ns_per_hit: number[];
  ns_per_hit_4096_keys: number[];
  bytes_per_entry: number;
}

/** Every layout at every size, measured in turns (layouts and sizes alike), ROUNDS times; the median counts. */
function measure(): LayoutCost[] {
  const names = Object.keys(LAYOUTS);
  const caches = names.map((name) => SIZES.map((entries) => filled(LAYOUTS[name], entries)));
  gc!();
  const samples = names.map(() => SIZES.map(() => ({ hot: [] as number[], wide: [] as number[] })));
  for (let round = 0; round < ROUNDS; round++) {
    names.forEach((_, layout) =>
      SIZES.forEach((entries, size) => {
        samples[layout][size].hot.push(timedHits((key) => caches[layout][size].get(key), keysFor(entries, 100)));
        samples[layout][size].wide.push(timedHits((key) => caches[layout][size].get(key), keysFor(entries, 4096)));
      }),
    );
  }
  return names.map((layout, index) => ({
    layout,
    ns_per_hit: samples[index].map((sample) => Math.round(median(sample.hot))),
    ns_per_hit_4096_keys: samples[index].map((sample) => Math.round(median(sample.wide))),
    bytes_per_entry: overheadPerEntry(LAYOUTS[layout]),
  }));
}

process.stdout.write(`${JSON.stringify({ sizes: SIZES, layouts: measure() })}\n`);
