import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/index.js';
import type { RedisConnection } from '../plan-cache/index.js';
import { REDIS_CONNECTION } from '../plan-cache/index.js';
import type { Caller } from './caller.js';
import { CallerMetrics } from './caller.metrics.js';
import { UnauthenticatedError } from './invalid-token.error.js';
import {
  CrossSiteGenerationError,
  LimitExceededError,
  PlannerBusyError,
  rateLimitHeaders,
  type QuotaState,
  type RefusalReason,
} from './limit-refusal.error.js';
import { PlannerSlots } from './planner-slots.js';
import { RateBudget, type BudgetState } from './rate-budget.js';
import { TenantTokens, type TokenReservation } from './tenant-tokens.js';

export type GenerationKind = 'plan' | 'chat';

/** What a request that starts a generation holds while it runs. */
export interface GenerationPermit {
  /** RateLimit headers describing the caller's budget after this generation. */
  readonly headers: Record<string, string>;
  /** Gives the planner slot back; call once the generation has ended. */
  release(): void;
  /**
   * The most tokens the call's answer may use (its `max_tokens`): what the tenant's reservation
   * covers; undefined when no budget of tokens applies.
   */
  readonly maxTokens?: number;
  /**
   * Gives the unit and the reserved tokens back: the request joined work already running, here
   * or on another instance, and made no call.
   */
  refund(): Promise<void>;
  /** Settles the tenant's reservation with the call's usage: the rest goes back, an excess is charged. */
  settle(tokens: number): Promise<void>;
  /** The call was sent and ended without its usage: the whole reservation stays spent. */
  keepReserved(): void;
}

const MINUTE = 60;

/**
 * Decides whether a request may make the planner work, before anything is sent: a page of
 * another site may not; anonymous chats need their own allowance; every generation takes a unit
 * of its caller's budget per minute (shared by every instance through Redis), a tenant's call
 * reserves the tokens it may spend (refused when its daily budget cannot cover them), and at most PLANNER_MAX_CONCURRENCY calls run here at once, the rest
 * waiting in a bounded queue. Requests answered from the cache never come here.
 */
@Injectable()
export class GenerationAdmission {
  readonly #anonymous: RateBudget;
  readonly #authenticated: RateBudget;
  readonly #anonymousChats: RateBudget;
  readonly #tenantTokens?: TenantTokens;
  readonly #slots: PlannerSlots;
  readonly #limits: AppConfig['limits'];

  constructor(
    config: AppConfig,
    @Inject(REDIS_CONNECTION) redis: RedisConnection | null,
    private readonly metrics: CallerMetrics,
  ) {
    const limits = (this.#limits = config.limits);
    const perMinute = (name: string, points: number) =>
      new RateBudget({ name, points: Math.max(points, 1), windowSeconds: MINUTE }, redis);
    this.#anonymous = perMinute('anonymous-generations', limits.anonymousGenerationsPerMinute);
    this.#authenticated = perMinute('generations', limits.authenticatedGenerationsPerMinute);
    this.#anonymousChats = perMinute('anonymous-chats', limits.anonymousChatsPerMinute);
    if (limits.tenantDailyTokens !== undefined) {
      this.#tenantTokens = new TenantTokens(limits.tenantDailyTokens, config.planner.maxTokens, redis);
    }
    this.#slots = new PlannerSlots(
      {
        concurrency: limits.plannerConcurrency,
        queueMax: limits.plannerQueueMax,
        queueTimeoutMs: limits.plannerQueueTimeoutMs,
      },
      metrics,
    );
    metrics.watchQueue(() => this.#slots.waiting);
  }

  /** `promptTokens`: the estimated prompt of the call, the first part of a tenant's reservation. */
  async admit(caller: Caller, kind: GenerationKind, promptTokens: number): Promise<GenerationPermit> {
    return this.#admit(caller, kind, promptTokens, () => this.#slots.acquire());
  }

  /**
   * As {@link admit} for work the service does on a caller's behalf in the background (the check
   * of a plan served to it): the caller's budgets apply, but only a planner slot free now is
   * taken, never one that clients queue for. Undefined: refused or busy, no work now.
   */
  async admitInBackground(caller: Caller, promptTokens: number): Promise<GenerationPermit | undefined> {
    const freeSlot = async () => this.#slots.tryAcquire() ?? Promise.reject(new NoFreeSlotError());
    return this.#admit(caller, 'plan', promptTokens, freeSlot, true).catch(() => undefined);
  }

  async #admit(
    caller: Caller,
    kind: GenerationKind,
    promptTokens: number,
    takeSlot: () => Promise<() => void>,
    background = false,
  ): Promise<GenerationPermit> {
    if (caller.crossSite) this.#refuse('cross_site', new CrossSiteGenerationError(), background);
    if (kind === 'chat' && caller.kind === 'anonymous') await this.#takeAnonymousChat(caller);
    if (caller.kind === 'anonymous' && this.#limits.anonymousGenerationsPerMinute === 0) {
      throw new UnauthenticatedError('Anonymous callers are served cached plans only: sign in to generate one');
    }
    const budget = caller.kind === 'anonymous' ? this.#anonymous : this.#authenticated;
    const taken = await budget.take(caller.budgetKey);
    const quota = quotaOf(budget, taken);
    if (!taken.allowed) {
      this.#refuse(
        caller.kind === 'anonymous' ? 'anonymous_generations' : 'authenticated_generations',
        new LimitExceededError(
          caller.kind === 'anonymous' ? 'anonymous_generations' : 'authenticated_generations',
          `At most ${budget.settings.points} new plans a minute for this caller; try again in ${quota.resetSeconds} s`,
          quota,
        ),
        background,
      );
    }
    let reservation: TokenReservation | undefined;
    const refund = async () => {
      await budget.refund(caller.budgetKey, 1, taken.store);
      await reservation?.settle(0);
    };
    try {
      if (this.#tenantTokens && caller.tenant !== undefined) {
        reservation = await this.#tenantTokens.reserve(caller.tenant, promptTokens);
      }
      const release = await takeSlot();
      return {
        headers: rateLimitHeaders(quota),
        maxTokens: reservation?.maxTokens,
        release,
        refund,
        settle: async (tokens) => reservation?.settle(tokens),
        keepReserved: () => reservation?.keep(),
      };
    } catch (error) {
      await refund();
      const refused = error instanceof PlannerBusyError || error instanceof LimitExceededError;
      if (refused && !background) this.metrics.refused(error.reason);
      throw error;
    }
  }

  /**
   * A permit for a background refresh, only if a planner slot is free (refreshes never queue)
   * and, for a plan of a tenant's own scope, only if the tenant's daily tokens cover the call: a
   * refresh made for a tenant's readers is that tenant's spending, reserved and settled as its own
   * requests are. Undefined: no refresh now.
   */
  async backgroundPermit(tenant: string | undefined, promptTokens: number): Promise<GenerationPermit | undefined> {
    const release = this.#slots.tryAcquire();
    if (!release) return undefined;
    let reservation: TokenReservation | undefined;
    try {
      if (this.#tenantTokens && tenant !== undefined) {
        reservation = await this.#tenantTokens.reserve(tenant, promptTokens);
      }
    } catch (error) {
      release();
      if (error instanceof LimitExceededError) return undefined;
      throw error;
    }
    return {
      headers: {},
      maxTokens: reservation?.maxTokens,
      release,
      refund: async () => reservation?.settle(0),
      settle: async (tokens) => reservation?.settle(tokens),
      keepReserved: () => reservation?.keep(),
    };
  }

  async #takeAnonymousChat(caller: Caller): Promise<void> {
    if (this.#limits.anonymousChatsPerMinute === 0) {
      this.metrics.refused('anonymous_chats');
      throw new UnauthenticatedError('mode=chat answers authenticated callers only: send Authorization: Bearer <JWT>');
    }
    const taken = await this.#anonymousChats.take(caller.budgetKey);
    if (taken.allowed) return;
    const quota = quotaOf(this.#anonymousChats, taken);
    this.#refuse(
      'anonymous_chats',
      new LimitExceededError(
        'anonymous_chats',
        `At most ${this.#anonymousChats.settings.points} chat replies a minute for anonymous callers; try again in ${quota.resetSeconds} s`,
        quota,
      ),
    );
  }

  /** A refusal counted for the metrics, unless it refused the service's own background work. */
  #refuse(reason: RefusalReason, error: Error, background = false): never {
    if (!background) this.metrics.refused(reason);
    throw error;
  }
}

/** No planner slot is free now, and background work does not queue. */
class NoFreeSlotError extends Error {}

function quotaOf(budget: RateBudget, state: BudgetState): QuotaState {
  return {
    policy: budget.settings.name,
    limit: budget.settings.points,
    windowSeconds: budget.settings.windowSeconds,
    remaining: state.remaining,
    resetSeconds: state.resetSeconds,
  };
}
