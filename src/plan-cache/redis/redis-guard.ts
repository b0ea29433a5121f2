import { SpanKind } from '@opentelemetry/api';
import CircuitBreaker from 'opossum';
import { inSpan, type SpanOptions } from '../../tracing/index.js';

const REDIS_SPAN: SpanOptions = { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'redis' } };

export interface RedisGuardOptions {
  /** The deadline of every Redis call. */
  timeoutMs: number;
  /** How long the breaker stays open before it lets one call try again. */
  resetMs: number;
  /** False while the client is known to be unable to send (a call then fails at once, never queued). */
  available?: () => boolean;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * Every Redis call of the cache goes through here: it gets a deadline, and after repeated
 * failures a circuit breaker (opossum) fails calls at once for a while instead of letting each
 * one wait, then lets one through to see whether Redis is back.
 */
export class RedisGuard {
  readonly #breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  readonly #available: () => boolean;
  readonly #timeoutMs: number;

  constructor(options: RedisGuardOptions) {
    this.#available = options.available ?? (() => true);
    this.#timeoutMs = options.timeoutMs;
    this.#breaker = new CircuitBreaker(
      (operation: () => Promise<unknown>) => withDeadline(operation(), options.timeoutMs),
      {
        timeout: false,
        resetTimeout: options.resetMs,
        errorThresholdPercentage: 50,
        volumeThreshold: 3,
        rollingCountTimeout: 10_000,
      },
    );
  }

  /**
   * Runs a Redis call under the deadline and the breaker; inside a traced request it is a client
   * span (background upkeep, with no request around it, is not traced).
   */
  run<T>(operation: () => Promise<T>): Promise<T> {
    if (!this.#available()) return Promise.reject(new RedisUnavailableError());
    return inSpan('redis', REDIS_SPAN, () => this.#breaker.fire(operation) as Promise<T>);
  }

  /** Runs the call; on any failure answers `fallback` instead (the caller carries on without Redis). */
  async tryRun<T, F>(operation: () => Promise<T>, fallback: F): Promise<T | F> {
    try {
      return await this.run(operation);
    } catch {
      return fallback;
    }
  }

  /**
   * Closes the breaker once `probe` (a PING on a new connection) answers within the deadline: the
   * failures it counted were those of a connection that is gone, and what waits on Redis (replays,
   * held invalidations) goes at once instead of after the half-open try. A probe that fails
   * changes nothing.
   */
  async closeIfAnswering(probe: () => Promise<unknown>): Promise<void> {
    try {
      await withDeadline(probe(), this.#timeoutMs);
      this.#breaker.close();
    } catch {
      // Still failing: the breaker goes on judging.
    }
  }

  get state(): BreakerState {
    if (this.#breaker.opened) return 'open';
    return this.#breaker.halfOpen ? 'half_open' : 'closed';
  }

  shutdown(): void {
    this.#breaker.shutdown();
  }
}

export class RedisUnavailableError extends Error {
  constructor() {
    super('Redis is not connected');
  }
}

export class RedisTimeoutError extends Error {
  constructor(ms: number) {
    super(`Redis did not answer within ${ms} ms`);
  }
}

/**
 * The deadline of one call. When this process's event loop was busy past the deadline, the
 * timer and Redis's reply are both due in the same turn of the loop, and timers run first: the
 * verdict is deferred to the turn's check phase (setImmediate), after the replies that arrived
 * have been read, so that the process's own lag is not taken for a slow Redis.
 */
function withDeadline<T>(call: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => setImmediate(() => reject(new RedisTimeoutError(ms))), ms);
    call.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
