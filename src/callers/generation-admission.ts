import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { CallerMetrics } from '../metrics/caller.metrics.js';
import type { RedisConnection } from '../plan-cache/redis/redis-connection.js';
import { REDIS_CONNECTION } from '../plan-cache/redis/redis.providers.js';
import type { Caller } from './caller.js';
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

export type GenerationKind = 'plan' | 'chat';

/** What a request that starts a generation holds while it runs. */
export interface GenerationPermit {
  /** RateLimit headers describing the caller's budget after this generation. */
  readonly headers: Record<string, string>;
  /** Gives the planner slot back; call once the generation has ended. */
  release(): void;
  /** Gives the unit back: the request joined work already running, here or on another instance. */
  refund(): Promise<void>;
  /** Counts the generation's tokens against the caller's tenant for today. */
  spent(tokens: number): Promise<void>;
}

const MINUTE = 60;
const DAY = 86_400;

/**
 * Decides whether a request may make the planner work, before anything is sent: a page of
 * another site may not; anonymous chats need their own allowance; every generation takes a unit
 * of its caller's budget per minute (shared by every instance through Redis), a tenant over its
 * daily tokens is refused, and at most PLANNER_MAX_CONCURRENCY calls run here at once, the rest
 * waiting in a bounded queue. Requests answered from the cache never come here.
 */
@Injectable()
export class GenerationAdmission {
  readonly #anonymous: RateBudget;
  readonly #authenticated: RateBudget;
  readonly #anonymousChats: RateBudget;
  readonly #tenantTokens?: RateBudget;
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
      // Keyed by UTC date: the window is the calendar day; the counter outlives it a day.
      this.#tenantTokens = new RateBudget(
        { name: 'tenant-tokens', points: limits.tenantDailyTokens, windowSeconds: 2 * DAY },
        redis,
      );
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

  async admit(caller: Caller, kind: GenerationKind): Promise<GenerationPermit> {
    if (caller.crossSite) this.#refuse('cross_site', new CrossSiteGenerationError());
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
      );
    }
    const refund = () => budget.refund(caller.budgetKey);
    try {
      await this.#checkTenantTokens(caller);
      const release = await this.#slots.acquire();
      return {
        headers: rateLimitHeaders(quota),
        release,
        refund,
        spent: (tokens) => this.#spendTokens(caller, tokens),
      };
    } catch (error) {
      await refund();
      if (error instanceof PlannerBusyError) this.metrics.refused(error.reason);
      throw error;
    }
  }

  /** A slot for a background refresh, only if one is free: refreshes never queue. */
  backgroundSlot(): (() => void) | undefined {
    return this.#slots.tryAcquire();
  }

  async #spendTokens(caller: Caller, tokens: number): Promise<void> {
    if (this.#tenantTokens && caller.tenant !== undefined)
      await this.#tenantTokens.spend(tenantDay(caller.tenant), tokens);
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

  async #checkTenantTokens(caller: Caller): Promise<void> {
    if (!this.#tenantTokens || caller.tenant === undefined) return;
    const state = await this.#tenantTokens.peek(tenantDay(caller.tenant));
    if (state.allowed) return;
    const quota: QuotaState = {
      policy: 'tenant-daily-tokens',
      limit: this.#tenantTokens.settings.points,
      windowSeconds: DAY,
      remaining: 0,
      resetSeconds: secondsToUtcMidnight(),
    };
    this.#refuse(
      'tenant_tokens',
      new LimitExceededError(
        'tenant_tokens',
        `This tenant has spent its ${quota.limit} planner tokens for today (UTC); cached plans are still served`,
        quota,
      ),
    );
  }

  #refuse(reason: RefusalReason, error: Error): never {
    this.metrics.refused(reason);
    throw error;
  }
}

function quotaOf(budget: RateBudget, state: BudgetState): QuotaState {
  return {
    policy: budget.settings.name,
    limit: budget.settings.points,
    windowSeconds: budget.settings.windowSeconds,
    remaining: state.remaining,
    resetSeconds: state.resetSeconds,
  };
}

function tenantDay(tenant: string, now = new Date()): string {
  return `${tenant}:${now.toISOString().slice(0, 10)}`;
}

function secondsToUtcMidnight(now = Date.now()): number {
  return Math.max(1, Math.ceil((DAY * 1000 - (now % (DAY * 1000))) / 1000));
}
