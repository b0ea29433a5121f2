import { Injectable, Logger } from '@nestjs/common';
import { GenerationAdmission, type GenerationPermit } from '../../callers/generation-admission.js';
import { AppConfig } from '../../config/app-config.js';
import type { LoadStamp } from '../../plan-cache/cache/stale-set-guard.js';
import type { SharedGeneration } from '../generation/generation-registry.js';
import type { PlanRequestContext } from '../plan-request-context.js';
import type { PlannerRequest } from '../planner/planner.js';
import type { TaskPlanIdentity } from '../task-plan-cache/task-plan-key.js';
import { CallerTags } from '../task-plan-cache/caller-tag.js';
import type { TaskPlanPolicy } from '../task-plan-cache/task-plan-policy.js';
import { TaskPlanCache } from '../task-plan-cache/task-plan-cache.js';
import { TaskPlanGenerations } from '../task-plan-generations.js';
import { EntryThresholds } from './entry-thresholds.js';
import { GoalEmbeddings } from './goal-embeddings.js';
import { PlanAgreement } from './plan-agreement.js';
import type { CheckOrigin } from './semantic-observation.repository.js';
import type { SemanticCandidate } from './semantic-matcher.js';
import { SemanticMetrics } from './semantic.metrics.js';

/**
 * Checks semantic hits, so that each entry's threshold is learned from evidence: a share τ of them
 * (PLAN_CACHE_SEMANTIC_VERIFY_RATE) is regenerated in the background, within the caller's limits,
 * and the two plans compared; a mismatch is stored as the goal's own entry. A near miss (a
 * candidate under its threshold) is compared with the plan generated instead, at no planner cost.
 */
@Injectable()
export class SemanticVerifier {
  readonly #logger = new Logger('SemanticVerifier');
  readonly #rate: number;

  constructor(
    private readonly thresholds: EntryThresholds,
    private readonly agreement: PlanAgreement,
    private readonly generations: TaskPlanGenerations,
    private readonly cache: TaskPlanCache,
    private readonly goalEmbeddings: GoalEmbeddings,
    private readonly admission: GenerationAdmission,
    private readonly metrics: SemanticMetrics,
    private readonly callerTags: CallerTags,
    config: AppConfig,
  ) {
    this.#rate = config.semantic.verifyRate;
  }

  /** After a semantic hit: with probability τ, regenerate for the goal and compare. */
  afterHit(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    match: SemanticCandidate,
    context: PlanRequestContext,
  ): void {
    if (this.#rate === 0 || Math.random() >= this.#rate) return;
    void this.#verify(identity, request, match, context).catch((error: unknown) =>
      this.#logger.debug({ msg: 'Verification of a semantic hit skipped', err: (error as Error).message }),
    );
  }

  /** After a generation for a goal that had a near miss: is the near miss's plan as good? */
  afterGeneration(goal: string, plan: string, nearMiss: SemanticCandidate): void {
    void this.#compare(goal, nearMiss, plan, 'near_miss').catch(() => undefined);
  }

  async #verify(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    match: SemanticCandidate,
    { caller, policy }: PlanRequestContext,
  ): Promise<void> {
    const permit = await this.admission.admit(caller, 'plan', this.generations.promptTokens(request));
    // Until a generation holds the permit, nothing else gives it back: a failing stamp must.
    const { stamp, shared } = await this.#start(identity, request, policy, permit).catch(async (error: unknown) => {
      permit.release();
      await permit.refund();
      throw error;
    });
    const leave = shared.generation.join();
    try {
      const fresh = await shared.completion;
      const wrong = await this.#compare(identity.goal, match, fresh.text, 'verification');
      if (wrong) {
        const plan = {
          text: fresh.text,
          truncated: fresh.truncated,
          usage: fresh.usage,
          generationMs: fresh.generationMs,
        };
        const embedding = await this.goalEmbeddings.of(identity.goal);
        await this.cache.store(identity, plan, stamp, { policy, embedding, creator: this.callerTags.of(caller) });
      }
    } finally {
      leave();
    }
  }

  /** The background generation for `identity`, holding `permit`, and the stamp its plan is stored under. */
  async #start(
    identity: TaskPlanIdentity,
    request: PlannerRequest,
    policy: TaskPlanPolicy,
    permit: GenerationPermit,
  ): Promise<{ stamp: LoadStamp; shared: SharedGeneration }> {
    const stamp = await this.cache.stamp(identity);
    const planned = { ...request, goal: request.goal.trim() };
    const shared = this.generations.forKey(identity, planned, {
      stream: false,
      replacing: false,
      store: false,
      policy,
      background: true,
      permit,
    });
    return { stamp, shared };
  }

  /** Records whether `candidate`'s plan was wrong for `goal`; answers that, or undefined when nobody could say. */
  async #compare(
    goal: string,
    candidate: SemanticCandidate,
    freshPlan: string,
    origin: CheckOrigin,
  ): Promise<boolean | undefined> {
    const agreed = await this.agreement.agree(goal, candidate.entry.plan, freshPlan);
    if (agreed === undefined) return undefined;
    this.metrics.observed(origin, agreed ? 'agreed' : 'false_hit');
    await this.thresholds.record(candidate.key, { similarity: candidate.similarity, wrong: !agreed }, origin);
    return !agreed;
  }
}
