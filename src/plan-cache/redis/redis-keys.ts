import calculateSlot from 'cluster-key-slot';

const SLOTS = 16384;
/** Slot groups of a namespace in a cluster: each holds its own generation and index beside its entries. */
const CLUSTER_BUCKETS = 64;

/**
 * One hash tag per bucket, chosen so that bucket i's slot lies in the i-th 64th of the slot space:
 * a cluster whose primaries own even ranges of slots then holds an even share of every namespace
 * (tags hashed at random would leave one primary a fifth more than another).
 */
const BUCKET_TAGS: readonly string[] = Array.from({ length: CLUSTER_BUCKETS }, (_, bucket) => {
  const width = SLOTS / CLUSTER_BUCKETS;
  for (let attempt = 0; ; attempt += 1) {
    const tag = `b${bucket}.${attempt}`;
    if (Math.floor(calculateSlot(tag) / width) === bucket) return tag;
  }
});

/**
 * Every key and channel the service uses in Redis, under one prefix (REDIS_KEY_PREFIX), so
 * that several services, or several test runs, can share one Redis without touching each other.
 *
 * In a cluster, a script may only touch keys of one slot: an entry, its key version, and its
 * bucket's generation and index share a hash tag (`<prefix>:{tag}:…`), and a namespace spreads
 * over 64 buckets (so over every primary). On one server the names have no tag, as before.
 *
 * These names are a storage format shared by every instance and build: changing one (or the
 * number of buckets, or how tags are chosen) makes two builds keep versions under different
 * names during a rolling upgrade, which the stale-set protection cannot see. Change it only with
 * a new key prefix.
 */
export class RedisKeys {
  /** The invalidation bus channel: `<prefix>:bus`. */
  readonly bus: string;
  /** The slot groups of a namespace, as name parts (`{b3.17}:`): one empty part on one server. */
  readonly buckets: readonly string[];

  constructor(
    readonly prefix: string,
    clustered = false,
  ) {
    this.bus = `${prefix}:bus`;
    this.buckets = clustered ? BUCKET_TAGS.map((tag) => `{${tag}}:`) : [''];
  }

  /** The slot group of `key` ('' on one server). */
  bucketOf(key: string): string {
    return this.buckets.length === 1 ? this.buckets[0] : this.buckets[calculateSlot(key) % this.buckets.length];
  }

  /** `keys` grouped by slot group, so that each group can go in one script. */
  byBucket(keys: readonly string[]): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const key of keys) {
      const bucket = this.bucketOf(key);
      const group = groups.get(bucket);
      if (group) group.push(key);
      else groups.set(bucket, [key]);
    }
    return groups;
  }

  /** Where an entry lives: `<prefix>:<namespace>:<key>` (`<prefix>:{tag}:<namespace>:<key>` in a cluster). */
  entry(namespace: string, key: string): string {
    return `${this.prefix}:${this.bucketOf(key)}${namespace}:${key}`;
  }

  /** A sorted set of a bucket's entries by expiry, so that counting them is not a scan. */
  index(namespace: string, bucket = this.buckets[0]): string {
    return `${this.prefix}:${bucket}index:${namespace}`;
  }

  /** The entries of a namespace, for SCAN MATCH. */
  entryPattern(namespace: string): string {
    return this.buckets.length === 1 ? this.entry(namespace, '*') : `${this.prefix}:{*}:${namespace}:*`;
  }

  /** A bucket's namespace generation: a new one hides every entry of the bucket written before. */
  generation(namespace: string, bucket = this.buckets[0]): string {
    return `${this.prefix}:${bucket}gen:${namespace}`;
  }

  version(key: string): string {
    return `${this.prefix}:${this.bucketOf(key)}ver:${key}`;
  }

  lock(key: string): string {
    return `${this.prefix}:lock:${key}`;
  }

  handoff(key: string, token: string): string {
    return `${this.prefix}:flight:${key}:${token}`;
  }

  hot(namespace: string): string {
    return `${this.prefix}:hot:${namespace}`;
  }

  /** Held by the instance that decays the hot counts this round. */
  hotDecay(namespace: string): string {
    return `${this.prefix}:hot-decay:${namespace}`;
  }

  /** Held by the instance that claimed `key` (see Claims). */
  claim(key: string): string {
    return `${this.prefix}:claim:${key}`;
  }

  /** A key of the service's own beside the cache's (e.g. shared counters): `<prefix>:<part>:<part>…`. */
  scoped(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  /**
   * A key that one script touches with others of its `group`: `<prefix>:{group}:<part>…` in a
   * cluster (one slot for the group), as {@link scoped} on one server.
   */
  grouped(group: string, ...parts: string[]): string {
    return this.buckets.length === 1 ? this.scoped(...parts) : this.scoped(`{${group}}`, ...parts);
  }
}
