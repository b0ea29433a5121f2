import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import type { PlanRequestContext } from '../requests/plan-request-context.js';
import type { PlannerRequest } from '../planner/planner.js';
import type { TaskPlanIdentity } from '../task-plan-cache/task-plan-key.js';
import { CallerTags } from '../task-plan-cache/caller-tag.js';
import { TaskPlanCache } from '../task-plan-cache/task-plan-cache.js';
import { BackgroundRegeneration } from '../generation/background-regeneration.js';
import { EntryThresholds } from './entry-thresholds.js';
import { GoalEmbeddings } from './goal-embeddings.js';
import { PlanAgreement } from './plan-agreement.js';
import type { CheckOrigin } from './semantic-observation.repository.js';
import type { SemanticCandidate } from './semantic-matcher.js';
import { SemanticMetrics } from './semantic.metrics.js';

/**
 * Checks semantic hits, so that each entry's threshold is learned from evidence: a share τ of them
 * (PLAN_CACHE_SEMANTIC_VERIFY_RATE) is regenerated in the background (within the caller's limits,
 * on a planner slot no client waits for) and the two plans compared; a mismatch is stored as the
 * goal's own entry. A near miss (a
 * candidate under its threshold) is compared with the plan generated instead, at no planner cost.
 */
@Injectable()
export class SemanticVerifier {
  readonly #logger = new Logger('SemanticVerifier');
  readonly #rate: number;

  constructor(
    private readonly thresholds: EntryThresholds,
    private readonly agreement: PlanAgreement,
    private readonly regeneration: BackgroundRegeneration,
    private readonly cache: TaskPlanCache,
    private readonly goalEmbeddings: GoalEmbeddings,
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
    // The caller's own generation, kept only when the plan it was served turns out wrong.
    const options = { policy, store: false, replacing: false, payer: caller, claimed: false };
    const regenerated = await this.regeneration.regenerate(identity, request, options);
    if (!regenerated) return;
    const { result, stamp } = regenerated;
    const wrong = await this.#compare(identity.goal, match, result.text, 'verification');
    if (!wrong || !stamp) return;
    const { text, truncated, usage, generationMs } = result;
    const embedding = await this.goalEmbeddings.of(identity.goal);
    const creator = this.callerTags.of(caller);
    await this.cache.store(identity, { text, truncated, usage, generationMs }, stamp, { policy, embedding, creator });
  }

  /** Records whether `candidate`'s plan was wrong for `goal`; answers that, or undefined when nobody could say. */
  async #compare(
    goal: string,
    candidate: SemanticCandidate,
    freshPlan: string,
    origin: CheckOrigin,
  ): Promise<boolean | undefined> {
    const agreed = await this.agreement.agree(goal, candidate.entry.value.plan, freshPlan);
    if (agreed === undefined) return undefined;
    this.metrics.observed(origin, agreed ? 'agreed' : 'false_hit');
    await this.thresholds.record(candidate.key, { similarity: candidate.similarity, wrong: !agreed }, origin);
    return !agreed;
  }
}
