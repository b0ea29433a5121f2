import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisConnection } from '../plan-cache/redis/redis-connection.js';

export interface RateBudgetSettings {
  /** Names the counters in Redis, and the quota in RateLimit headers. */
  name: string;
  points: number;
  windowSeconds: number;
}

/** Where a budget stands after a request: what the RateLimit headers say. */
export interface BudgetState {
  allowed: boolean;
  remaining: number;
  /** Seconds until the window restarts (at least 1 when refused). */
  resetSeconds: number;
}

/**
 * Points per key per window, counted by rate-limiter-flexible: in Redis when the service has it
 * (shared by every instance), else in this process. Each Redis call keeps the cache's deadline
 * and breaker; when Redis fails, this process's own counters decide, so that an outage neither
 * opens the gates nor refuses everyone.
 */
export class RateBudget {
  readonly #memory: RateLimiterMemory;
  readonly #shared?: RateLimiterRedis;

  constructor(
    readonly settings: RateBudgetSettings,
    private readonly redis: RedisConnection | null,
  ) {
    const options = { points: settings.points, duration: settings.windowSeconds, keyPrefix: settings.name };
    this.#memory = new RateLimiterMemory(options);
    if (redis) {
      this.#shared = new RateLimiterRedis({
        ...options,
        storeClient: redis.client,
        useRedisPackage: true,
        keyPrefix: redis.keys.scoped('limit', settings.name),
      });
    }
  }

  /** Takes `points` from `key`'s budget, unless that would overspend it. */
  async take(key: string, points = 1): Promise<BudgetState> {
    const outcome = await this.#use((limiter) => settle(limiter.consume(key, points)));
    return this.#state(outcome.res, outcome.allowed);
  }

  /**
   * Takes as many of `points` as `key` has left, if that is at least `least`; else takes nothing.
   * One atomic increment, then the part over the limit is given back: a request racing this one
   * sees the whole increment meanwhile, so together they never keep more than the limit.
   */
  async takeUpTo(key: string, points: number, least: number): Promise<{ taken: number; state: BudgetState }> {
    const { res } = await this.#use((limiter) => settle(limiter.consume(key, points)));
    const over = Math.max(0, res.consumedPoints - this.settings.points);
    const taken = points - over >= least ? points - over : 0;
    if (points > taken) await this.refund(key, points - taken);
    const consumed = res.consumedPoints - (points - taken);
    return { taken, state: this.#state({ consumedPoints: consumed, msBeforeNext: res.msBeforeNext }, taken > 0) };
  }

  /** Gives back points taken for work that did not happen. */
  async refund(key: string, points = 1): Promise<void> {
    await this.#use((limiter) => limiter.reward(key, points)).catch(() => undefined);
  }

  /** Adds spent points without refusing anything (tokens counted after the call). */
  async spend(key: string, points: number): Promise<void> {
    if (points <= 0) return;
    await this.#use((limiter) => limiter.penalty(key, points)).catch(() => undefined);
  }

  /** Whether `key` still has points left, without taking any. */
  async peek(key: string): Promise<BudgetState> {
    const res = await this.#use((limiter) => limiter.get(key));
    const consumed = res?.consumedPoints ?? 0;
    return this.#state(res ?? undefined, consumed < this.settings.points);
  }

  async #use<T>(work: (limiter: RateLimiterAbstract) => Promise<T>): Promise<T> {
    const shared = this.#shared;
    if (shared && this.redis) {
      try {
        return await this.redis.guard.run(() => work(shared));
      } catch {
        // Redis is away or late: this process's counters stand in.
      }
    }
    return work(this.#memory);
  }

  #state(res: Pick<RateLimiterRes, 'consumedPoints' | 'msBeforeNext'> | undefined, allowed: boolean): BudgetState {
    const resetSeconds = Math.ceil((res?.msBeforeNext ?? 0) / 1000);
    return {
      allowed,
      remaining: Math.max(0, res ? this.settings.points - res.consumedPoints : this.settings.points),
      resetSeconds: allowed ? resetSeconds : Math.max(1, resetSeconds),
    };
  }
}

/** rate-limiter-flexible rejects with a RateLimiterRes when over the limit: an answer, not a failure. */
async function settle(consumed: Promise<RateLimiterRes>): Promise<{ res: RateLimiterRes; allowed: boolean }> {
  try {
    return { res: await consumed, allowed: true };
  } catch (error) {
    if (error instanceof RateLimiterRes) return { res: error, allowed: false };
    throw error;
  }
}
