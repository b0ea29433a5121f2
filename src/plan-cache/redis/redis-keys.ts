/**
 * Every key and channel the plan cache uses in Redis, under one prefix (REDIS_KEY_PREFIX), so
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

  /** Held by the instance refreshing `key` ahead of its expiry. */
  refresh(key: string): string {
    return `${this.prefix}:refresh:${key}`;
  }

  /** The counters of one experiment variant, summed over instances. */
  experiment(name: string, variant: string): string {
    return `${this.prefix}:experiment:${name}:${variant}`;
  }

  /** Marks a flush of experiment counts as applied, so that a retry of it adds nothing. */
  experimentFlush(name: string, flushId: string): string {
    return `${this.prefix}:experiment-flush:${name}:${flushId}`;
  }

  /** The prefix of a caller budget's counters (rate limits shared by every instance). */
  limit(budget: string): string {
    return `${this.prefix}:limit:${budget}`;
  }
}
