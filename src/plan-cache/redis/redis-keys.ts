/**
 * Every key and channel the service uses in Redis, under one prefix (REDIS_KEY_PREFIX), so
 * that several services, or several test runs, can share one Redis without touching each other.
 */
export class RedisKeys {
  /** The invalidation bus channel: `<prefix>:bus`. */
  readonly bus: string;

  constructor(readonly prefix: string) {
    this.bus = `${prefix}:bus`;
  }

  /** Where an entry lives: `<prefix>:<namespace>:<key>`. */
  entry(namespace: string, key: string): string {
    return `${this.prefix}:${namespace}:${key}`;
  }

  /** A sorted set of the namespace's entries by expiry, so that counting them is not a scan. */
  index(namespace: string): string {
    return `${this.prefix}:index:${namespace}`;
  }

  entryPattern(namespace: string): string {
    return this.entry(namespace, '*');
  }

  generation(namespace: string): string {
    return `${this.prefix}:gen:${namespace}`;
  }

  version(key: string): string {
    return `${this.prefix}:ver:${key}`;
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
}
