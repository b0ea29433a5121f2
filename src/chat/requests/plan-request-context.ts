import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Caller } from '../../callers/index.js';
import type { AnswerRequest } from '../../common/index.js';
import { clientGone } from '../streams/client-gone.js';
import { policyOfRequest } from './client-id.js';
import type { CacheDirectives } from './request-cache-control.js';
import { PlanExperiments } from '../task-plan-cache/experiments/plan-experiments.js';
import type { TaskPlanPolicy } from '../task-plan-cache/task-plan-policy.js';

/** Everything a task-plan request brings besides its goal, gathered once per request. */
export interface PlanRequestContext {
  /** What the client asks of the cache (`Cache-Control` request directives). */
  directives: CacheDirectives;
  /** Aborts when the client has gone. */
  clientGone: AbortSignal;
  /** The cache policy of this client (its experiment variant's, or the service's). */
  policy: TaskPlanPolicy;
  /** Who asks: what it may spend, and whether it may replace a shared plan. */
  caller: Caller;
}

/** Builds the parts of a {@link PlanRequestContext} that the route and the fast path share. */
@Injectable()
export class PlanRequestContexts {
  constructor(private readonly experiments: PlanExperiments) {}

  /**
   * The request's cache policy; `setHeader` receives the answer headers it implies
   * (`X-Cache-Variant`, `Vary`). A malformed `X-Client-Id` is refused (400) while an experiment runs.
   */
  policyOf(request: AnswerRequest, setHeader: (name: string, value: string) => void): TaskPlanPolicy {
    return policyOfRequest(this.experiments, request, setHeader);
  }

  /** The context of a request the route handles; `setHeader` as for {@link policyOf}. */
  build(
    reply: FastifyReply,
    caller: Caller,
    directives: CacheDirectives,
    setHeader: (name: string, value: string) => void,
  ): PlanRequestContext {
    return { directives, clientGone: clientGone(reply.raw), policy: this.policyOf(reply.request, setHeader), caller };
  }

  /** Counts a finished request for its policy (the A/B test's latencies). */
  finished(policy: TaskPlanPolicy, startedAt: number): void {
    this.experiments.recordRequest(policy, performance.now() - startedAt);
  }
}
