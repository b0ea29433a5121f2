import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisConnection } from '../plan-cache/index.js';

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
 * Which counters points were taken from: Redis (`shared`) or this process's (`local`, while Redis
 * was away). Points go back only where they were taken.
 */
export type BudgetStore = 'shared' | 'local';

/** What a take answers: the state, and where it was counted (for a refund). */
export interface BudgetTaken extends BudgetState {
  store: BudgetStore;
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
  async take(key: string, points = 1): Promise<BudgetTaken> {
    const { value, store } = await this.#use((limiter) => settle(limiter.consume(key, points)));
    return { ...this.#state(value.res, value.allowed), store };
  }

  /**
   * Takes as many of `points` as `key` has left, if that is at least `least`; else takes nothing.
   * One atomic increment, then the part over the limit is given back: a request racing this one
   * sees the whole increment meanwhile, so together they never keep more than the limit.
   */
  async takeUpTo(
    key: string,
    points: number,
    least: number,
  ): Promise<{ taken: number; state: BudgetState; store: BudgetStore }> {
    const { value, store } = await this.#use((limiter) => settle(limiter.consume(key, points)));
    const { res } = value;
    const over = Math.max(0, res.consumedPoints - this.settings.points);
    const taken = points - over >= least ? points - over : 0;
    if (points > taken) await this.refund(key, points - taken, store);
    const consumed = res.consumedPoints - (points - taken);
    const state = this.#state({ consumedPoints: consumed, msBeforeNext: res.msBeforeNext }, taken > 0);
    return { taken, state, store };
  }

  /**
   * Gives back points taken (in `store`) for work that did not happen. Only there: points taken
   * here while Redis was away, given back to Redis, would drive its counter below zero (tokens for
   * free on every instance); points taken in Redis, given back here, would do the same to this
   * process's counters. When that store cannot be reached, the points stay spent.
   */
  async refund(key: string, points: number, store: BudgetStore): Promise<void> {
    await this.#in(store, (limiter) => limiter.reward(key, points)).catch(() => undefined);
  }

  /** Adds spent points without refusing anything (tokens counted after the call): wherever it counts now. */
  async spend(key: string, points: number): Promise<void> {
    if (points <= 0) return;
    await this.#use((limiter) => limiter.penalty(key, points)).catch(() => undefined);
  }

  async #use<T>(work: (limiter: RateLimiterAbstract) => Promise<T>): Promise<{ value: T; store: BudgetStore }> {
    if (this.#shared) {
      try {
        return { value: await this.#in('shared', work), store: 'shared' };
      } catch {
        // Redis is away or late: this process's counters stand in.
      }
    }
    return { value: await work(this.#memory), store: 'local' };
  }

  /** Runs `work` on one store's counters; the shared one through the cache's deadline and breaker. */
  async #in<T>(store: BudgetStore, work: (limiter: RateLimiterAbstract) => Promise<T>): Promise<T> {
    if (store === 'local') return work(this.#memory);
    const shared = this.#shared;
    if (!shared || !this.redis) throw new Error('No shared counters: the budget has no Redis');
    return this.redis.guard.run(() => work(shared));
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
