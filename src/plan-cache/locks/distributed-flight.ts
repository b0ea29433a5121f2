import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisConnection } from '../redis/redis-connection.js';
import { encodeWith, type ValueCodec } from '../cache/value-codec.js';
import { EngineTunables } from '../tunables.js';
import { currentTraceparent, inSpan, linkTo } from '../../tracing/index.js';

export interface FlightOptions {
  /**
   * The lock's lease: renewed every third of it while its holder lives, so that a crashed
   * holder's lock is gone, and a waiter takes over, at most this long after the crash.
   */
  leaseMs: number;
  /** How long a waiter waits for another instance before loading itself. */
  maxWaitMs: number;
  /** Stops a waiter whose client has gone. */
  signal?: AbortSignal;
}

export interface FlightResult<V> {
  value: V;
  /** This instance ran the loader; false when it took another instance's result. */
  loadedHere: boolean;
}

const { pollMs: POLL_MS, handoffTtlMs: HANDOFF_TTL_MS } = EngineTunables.flight;

/** A lock token: unique, and carrying the holder's W3C traceparent when it is traced. */
const tokenFor = (traceparent: string | undefined): string =>
  traceparent ? `${randomUUID()}_${traceparent}` : randomUUID();
const traceparentOf = (token: string): string | undefined => token.split('_')[1];
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * Single flight across instances: the instance that takes a short Redis lock (with a token and an
 * lease, renewed while it works) runs the loader and hands the result over under a key named by
 * its token; the others poll for that result. A holder that crashes lets its lock expire, and a
 * waiter then takes over. Without Redis, everyone simply loads.
 */
export class DistributedFlight {
  constructor(private readonly redis: RedisConnection) {}

  async run<V>(
    key: string,
    load: () => Promise<V>,
    codec: ValueCodec<V>,
    options: FlightOptions,
  ): Promise<FlightResult<V>> {
    const deadline = Date.now() + options.maxWaitMs;
    for (;;) {
      const token = tokenFor(currentTraceparent());
      // A call that timed out may still have set the lock: asking again with the same token tells.
      const holder =
        (await this.#acquire(key, token, options.leaseMs)) ?? (await this.#acquire(key, token, options.leaseMs));
      if (holder === undefined) {
        // Redis unavailable: load here, and free a lock we may hold without knowing it.
        void this.#release(key, token);
        return { value: await load(), loadedHere: true };
      }
      if (holder === token)
        return { value: await this.#hold(key, token, load, codec, options.leaseMs), loadedHere: true };
      // A waiter's trace links to the holder's, whose generation it takes.
      const handed = await inSpan(
        'plan_cache await_flight',
        { links: linkTo(traceparentOf(holder)), attributes: { 'plan_cache.coalesced': true } },
        () => this.#await(key, holder, codec, deadline, options.signal),
      );
      if (handed.value !== undefined) return { value: handed.value, loadedHere: false };
      if (handed.timedOut) return { value: await load(), loadedHere: true };
      // The holder went away without a result: try to take over.
    }
  }

  /** Drops the lock so that requests after an invalidation start a new flight. */
  async forget(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const client = this.redis.client;
    // One DEL per lock: in a cluster the locks of several keys lie in different slots.
    await this.redis.guard.tryRun(() => Promise.all(keys.map((key) => client.del(this.redis.keys.lock(key)))), []);
  }

  /** The token of the holder: ours when we took the lock, undefined when Redis cannot say. */
  async #acquire(key: string, token: string, ttlMs: number): Promise<string | undefined> {
    const client = this.redis.client;
    try {
      const previous = await this.redis.guard.run(() =>
        client.set(this.redis.keys.lock(key), token, {
          condition: 'NX',
          expiration: { type: 'PX', value: ttlMs },
          GET: true,
        }),
      );
      return previous ?? token;
    } catch {
      return undefined;
    }
  }

  async #hold<V>(key: string, token: string, load: () => Promise<V>, codec: ValueCodec<V>, ttlMs: number): Promise<V> {
    const client = this.redis.client;
    const lockKey = this.redis.keys.lock(key);
    const extend = setInterval(
      () => {
        void this.redis.guard.tryRun(
          () => client.eval(EXTEND, { keys: [lockKey], arguments: [token, String(ttlMs)] }),
          0,
        );
      },
      Math.max(ttlMs / 3, 50),
    );
    extend.unref();
    try {
      const value = await load();
      const handoff = JSON.stringify(encodeWith(codec, value));
      await this.redis.guard.tryRun(
        () =>
          client.set(this.redis.keys.handoff(key, token), handoff, {
            expiration: { type: 'PX', value: HANDOFF_TTL_MS },
          }),
        null,
      );
      return value;
    } finally {
      clearInterval(extend);
      await this.#release(key, token);
    }
  }

  async #release(key: string, token: string): Promise<void> {
    const client = this.redis.client;
    await this.redis.guard.tryRun(
      () => client.eval(RELEASE, { keys: [this.redis.keys.lock(key)], arguments: [token] }),
      0,
    );
  }

  async #await<V>(
    key: string,
    holder: string,
    codec: ValueCodec<V>,
    deadline: number,
    signal?: AbortSignal,
  ): Promise<{ value?: V; timedOut?: boolean }> {
    const client = this.redis.client;
    while (Date.now() < deadline) {
      signal?.throwIfAborted();
      await sleep(POLL_MS);
      let handoff: string | null;
      let current: string | null;
      try {
        [handoff, current] = await this.redis.guard.run(() =>
          Promise.all([client.get(this.redis.keys.handoff(key, holder)), client.get(this.redis.keys.lock(key))]),
        );
      } catch {
        // One late reply says nothing of the holder (taking over would load twice); Redis gone does.
        if (this.redis.connected && this.redis.guard.state === 'closed') continue;
        return {};
      }
      if (handoff !== null) {
        const value = parse(handoff, codec);
        if (value !== undefined) return { value };
      }
      if (current !== holder) return {}; // released without a usable result, expired, or taken over
    }
    return { timedOut: true };
  }
}

function parse<V>(text: string, codec: ValueCodec<V>): V | undefined {
  try {
    return codec.decode(JSON.parse(text));
  } catch {
    return undefined;
  }
}
