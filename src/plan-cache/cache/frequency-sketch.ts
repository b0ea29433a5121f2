import { randomInt } from 'node:crypto';

const ROWS = 4;
/** One constant per row (multiples of the golden ratio in 32 bits), mixed into the key's hash. */
const ROW_SALTS = [0x9e3779b9, 0x3c6ef372, 0xdaa66d2b, 0x78dde6e4];
/** Counters saturate here (4 bits' worth, as in TinyLFU): enough to rank, small enough to age fast. */
export const MAX_FREQUENCY = 15;
/**
 * What a key loaded ahead of demand (warmed) counts as: more than any key asked for a few times,
 * less than the saturation a truly busy key reaches, which may then displace a warmed key nobody reads.
 */
export const BUSY_FREQUENCY = 8;
/**
 * Counters per row for each entry the tier keeps. A key asked for once is overcounted only when
 * it lands on a busy key's counter in every row: with 16 per entry a full tier of busy keys
 * covers 1/16 of each row, so one such key in 65,536 (docs/decisions.md).
 */
const WIDTH_PER_ENTRY = 16;
const MIN_WIDTH = 256;
/** 4 rows of 2^20 bytes (4 MiB) at most: a tier of more than 65,536 entries gets coarser counts. */
const MAX_WIDTH = 2 ** 20;
/** Accesses between two agings, per entry the tier keeps (TinyLFU's sample size, as Caffeine sets it). */
const SAMPLE_PER_ENTRY = 10;
/** A tiny tier still ages no more often than every 160 accesses. */
const MIN_SAMPLE_ENTRIES = 16;

/**
 * How often each key was asked for lately, approximately: a count-min sketch of 4 rows of
 * saturating counters, halved every `10 × capacity` accesses so that old popularity fades
 * (TinyLFU, Einziger et al. 2017). It never undercounts a key since the last halving, and
 * overcounts only through collisions, which conservative updates keep few. The hash is seeded per
 * process, so that nobody can choose keys that land on the counters of a key they want evicted.
 */
export class FrequencySketch {
  readonly #rows: Uint8Array;
  readonly #mask: number;
  readonly #sampleSize: number;
  readonly #seed = randomInt(0x7fffffff);
  /** The counters of the key being recorded, kept between the two passes without allocating. */
  readonly #indexes = new Int32Array(ROWS);
  #additions = 0;

  constructor(capacity: number) {
    let width = MIN_WIDTH;
    while (width < capacity * WIDTH_PER_ENTRY && width < MAX_WIDTH) width *= 2;
    this.#rows = new Uint8Array(ROWS * width);
    this.#mask = width - 1;
    this.#sampleSize = SAMPLE_PER_ENTRY * Math.max(capacity, MIN_SAMPLE_ENTRIES);
  }

  /** The estimated number of accesses to `key` since the counters last aged (at most MAX_FREQUENCY). */
  frequency(key: string): number {
    const hash = this.#hash(key);
    let least = MAX_FREQUENCY;
    for (let row = 0; row < ROWS; row++) least = Math.min(least, this.#rows[this.#index(row, hash)]);
    return least;
  }

  /** Counts `by` accesses to `key`: raises only its lowest counters (conservative update). */
  record(key: string, by = 1): void {
    const hash = this.#hash(key);
    const indexes = this.#indexes;
    let least = MAX_FREQUENCY;
    for (let row = 0; row < ROWS; row++) {
      indexes[row] = this.#index(row, hash);
      least = Math.min(least, this.#rows[indexes[row]]);
    }
    const target = Math.min(MAX_FREQUENCY, least + by);
    if (target > least) {
      for (let row = 0; row < ROWS; row++) if (this.#rows[indexes[row]] < target) this.#rows[indexes[row]] = target;
    }
    this.#additions += by;
    if (this.#additions >= this.#sampleSize) this.#age();
  }

  /** Halves every counter: what was popular a sample ago weighs half as much as what is popular now. */
  #age(): void {
    for (let i = 0; i < this.#rows.length; i++) this.#rows[i] >>>= 1;
    this.#additions = Math.floor(this.#additions / 2);
  }

  /**
   * The counter of `hash` in `row`: each row mixes the hash with its own constant, so that two keys
   * sharing a counter in one row are unlikely to share one in another (double hashing from one
   * 32-bit hash made pairs share every row as often as 1 in width²).
   */
  #index(row: number, hash: number): number {
    return row * (this.#mask + 1) + (mix(hash + ROW_SALTS[row]) & this.#mask);
  }

  /** FNV-1a over the UTF-16 code units, seeded: allocates nothing, as it runs on every cached read. */
  #hash(key: string): number {
    let hash = (0x811c9dc5 ^ this.#seed) >>> 0;
    for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    return hash >>> 0;
  }
}

/** murmur3's finalizer: every input bit moves about half of the output bits. */
function mix(value: number): number {
  let h = value ^ (value >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
