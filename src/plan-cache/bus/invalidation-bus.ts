import { Logger } from '@nestjs/common';
import type { RedisConnection } from '../redis/redis-connection.js';

const RETRY_SUBSCRIPTION_MS = 1000;

/** What one instance tells the others: drop these keys of a namespace, or all of it; or these keys were stored. */
export interface InvalidationMessage {
  origin: string;
  namespace: string;
  keys?: string[];
  all?: boolean;
  /** Keys with a new value in Redis that nobody held before (nothing to drop: news for watchers). */
  stored?: string[];
}

export interface BusListener {
  /** Another instance invalidated keys (or the whole namespace when `keys` is undefined). */
  onRemoteInvalidation(keys: string[] | undefined): void;
  /** The bus was down and may have missed messages: everything local may be outdated. */
  onBusResync(): void;
  /** Another instance stored new entries under these keys in Redis. */
  onRemoteStore(keys: string[]): void;
}

/**
 * Invalidations across instances over one Redis channel (a sharded one in a cluster). Publishing is best effort under the
 * guard; a subscriber that lost its connection asks every namespace to drop its local copies when
 * it is back, since messages sent meanwhile are lost.
 */
export class InvalidationBus {
  readonly #listeners = new Map<string, BusListener>();
  readonly #logger = new Logger('InvalidationBus');
  #started = false;
  #subscribed = false;
  /** The subscriber lost Redis (or never had it) since start: messages may have been missed. */
  #missedSome = false;
  #retry?: NodeJS.Timeout;
  #reconnecting: Promise<void> = Promise.resolve();

  constructor(private readonly redis: RedisConnection) {
    const lost = () => {
      if (this.#started) this.#missedSome = true;
    };
    redis.deployment.on('subscriber-ready', () => void this.#afterSubscriberReady());
    redis.deployment.on('subscriber-lost', lost);
  }

  /** Subscribed, and whatever it may have missed before already dropped by the namespaces. */
  get listening(): boolean {
    return this.#subscribed && !this.#missedSome;
  }

  register(namespace: string, listener: BusListener): void {
    this.#listeners.set(namespace, listener);
  }

  /** Subscribes now when Redis is there, else when it comes (and then drops what may be outdated). */
  async start(): Promise<void> {
    this.#started = true;
    if (this.redis.deployment.subscriberReady) await this.#subscribe();
    else this.#missedSome = true;
  }

  async publish(namespace: string, keys: string[] | undefined): Promise<boolean> {
    const message: InvalidationMessage = {
      origin: this.redis.instanceId,
      namespace,
      ...(keys ? { keys } : { all: true }),
    };
    return this.#send(message);
  }

  /** Best effort: a store nobody hears of is only news missed, never an outdated copy served. */
  async publishStored(namespace: string, keys: string[]): Promise<boolean> {
    const message: InvalidationMessage = { origin: this.redis.instanceId, namespace, stored: keys };
    return this.#send(message);
  }

  #send(message: InvalidationMessage): Promise<boolean> {
    const { deployment, keys, guard } = this.redis;
    return guard.tryRun(async () => {
      await deployment.publish(keys.bus, JSON.stringify(message));
      return true;
    }, false);
  }

  async #subscribe(): Promise<boolean> {
    if (this.#subscribed) return true;
    const { deployment, keys, guard } = this.redis;
    try {
      await guard.run(() => deployment.subscribe(keys.bus, (message) => this.#receive(message)));
      this.#subscribed = true;
    } catch (error) {
      this.#logger.warn({ msg: 'Bus subscription failed; trying again', err: (error as Error).message });
      this.#retryLater();
    }
    return this.#subscribed;
  }

  /** A subscription that failed while Redis answered is tried again, not left to the next outage. */
  #retryLater(): void {
    if (this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (this.redis.deployment.subscriberReady) void this.#afterSubscriberReady();
      else this.#retryLater();
    }, RETRY_SUBSCRIPTION_MS);
    this.#retry.unref();
  }

  /**
   * One reconnection at a time: two close together (a flapping primary) would otherwise let the
   * second unsubscribe after the first resynchronised, and subscribe again without a resync.
   */
  #afterSubscriberReady(): Promise<void> {
    this.#reconnecting = this.#reconnecting.then(() => this.#onSubscriberReady()).catch(() => undefined);
    return this.#reconnecting;
  }

  async #onSubscriberReady(): Promise<void> {
    if (!this.#started) return;
    // node-redis resubscribes by itself after a reconnection; the first subscription is ours.
    if (this.#missedSome) {
      // Subscribe afresh rather than trust the client to have restored the subscription.
      await this.redis.deployment.unsubscribe(this.redis.keys.bus).catch(() => undefined);
      this.#subscribed = false;
    }
    // Until subscribed, what was missed stays missed: the resync waits for the subscription.
    if (!(await this.#subscribe())) return;
    if (this.#missedSome) {
      this.#missedSome = false;
      this.#logger.warn('Bus reconnected: dropping local copies that may have missed invalidations');
      for (const listener of this.#listeners.values()) listener.onBusResync();
    }
  }

  #receive(raw: string): void {
    let message: InvalidationMessage;
    try {
      message = JSON.parse(raw) as InvalidationMessage;
    } catch {
      return;
    }
    if (message.origin === this.redis.instanceId) return;
    const listener = this.#listeners.get(message.namespace);
    if (!listener) return;
    if (Array.isArray(message.stored)) {
      listener.onRemoteStore(message.stored.filter((key) => typeof key === 'string'));
      return;
    }
    const keys = Array.isArray(message.keys) ? message.keys.filter((key) => typeof key === 'string') : undefined;
    listener.onRemoteInvalidation(message.all ? undefined : keys);
  }
}
