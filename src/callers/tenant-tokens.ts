import type { RedisConnection } from '../plan-cache/index.js';
import { LimitExceededError, type QuotaState } from './limit-refusal.error.js';
import { RateBudget, type BudgetStore } from './rate-budget.js';

/** The fewest answer tokens worth a call: a tenant whose budget cannot cover them is refused. */
export const MIN_ANSWER_TOKENS = 16;

const DAY = 86_400;

/** A tenant's tokens held for one planner call, from its admission until its usage is known. */
export class TokenReservation {
  #open = true;

  constructor(
    private readonly budget: RateBudget,
    private readonly key: string,
    /** Where the tokens were taken: the rest goes back there only. */
    private readonly store: BudgetStore,
    /** The estimated prompt: the first part of the reservation. */
    readonly promptTokens: number,
    /** The `max_tokens` the call may send: the rest of the reservation. */
    readonly maxTokens: number,
  ) {}

  /** The call's usage is unknown: it may have spent all it could, so nothing goes back. */
  keep(): void {
    this.#open = false;
  }

  /** The call used `tokens`: the rest of the reservation goes back, or what exceeded it is charged. */
  async settle(tokens: number): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    const rest = this.promptTokens + this.maxTokens - tokens;
    if (rest > 0) await this.budget.refund(this.key, rest, this.store);
    else await this.budget.spend(this.key, -rest);
  }
}

/**
 * The planner tokens (prompt and answer) each tenant may spend per UTC day, shared by every
 * instance through Redis. A call reserves, before it is sent, the most it may spend: its prompt
 * and the `max_tokens` it will send, cut to what the budget has left; its real usage is settled
 * after. Concurrent calls thus never hold more than the budget, as checking first and counting
 * after allowed (eight calls on a budget of 300 spent 1,256).
 */
export class TenantTokens {
  readonly #budget: RateBudget;

  constructor(
    readonly limit: number,
    /** PLANNER_MAX_TOKENS: the most any call asks for. */
    private readonly plannerMaxTokens: number,
    redis: RedisConnection | null,
  ) {
    // Keyed by UTC date: the window is the calendar day; the counter outlives it a day.
    this.#budget = new RateBudget({ name: 'tenant-tokens', points: limit, windowSeconds: 2 * DAY }, redis);
  }

  /** Reserves a call's tokens, or refuses it (429) when what is left cannot cover its prompt and a short answer. */
  async reserve(tenant: string, promptTokens: number): Promise<TokenReservation> {
    const key = tenantDay(tenant);
    const wanted = promptTokens + this.plannerMaxTokens;
    const { taken, state, store } = await this.#budget.takeUpTo(key, wanted, promptTokens + MIN_ANSWER_TOKENS);
    if (taken > 0) return new TokenReservation(this.#budget, key, store, promptTokens, taken - promptTokens);
    const quota: QuotaState = {
      policy: 'tenant-daily-tokens',
      limit: this.limit,
      windowSeconds: DAY,
      remaining: state.remaining,
      resetSeconds: secondsToUtcMidnight(),
    };
    throw new LimitExceededError(
      'tenant_tokens',
      `This tenant has spent its ${this.limit} planner tokens for today (UTC), all but ${state.remaining}: ` +
        `too few for this request's ${promptTokens} prompt tokens and an answer; cached plans are still served`,
      quota,
    );
  }
}

function tenantDay(tenant: string, now = new Date()): string {
  return `${tenant}:${now.toISOString().slice(0, 10)}`;
}

function secondsToUtcMidnight(now = Date.now()): number {
  return Math.max(1, Math.ceil((DAY * 1000 - (now % (DAY * 1000))) / 1000));
}
