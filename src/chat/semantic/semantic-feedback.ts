import { createHash } from 'node:crypto';
import { ForbiddenException, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import type { Caller } from '../../callers/index.js';
import { UnauthenticatedError } from '../../callers/index.js';
import { AppConfig } from '../../config/index.js';
import { dot, vectorFromBase64 } from '../../embeddings/index.js';
import { CallerTags } from '../task-plan-cache/caller-tag.js';
import { PlanScopes } from '../task-plan-cache/plan-scope.js';
import { TaskPlanEntries } from '../task-plan-cache/task-plan-entries.js';
import { isTaskPlanEntry, type TaskPlanEntry } from '../task-plan-cache/task-plan-entry.js';
import { TaskPlanKey } from '../task-plan-cache/task-plan-key.js';
import { EntryThresholds } from './entry-thresholds.js';
import { FeedbackBudget } from './feedback-budget.js';
import { GoalEmbeddings } from './goal-embeddings.js';
import { MatchingForms } from './matching-form/matching-forms.js';
import { SemanticGoalIndex } from './semantic-goal-index.js';
import { SemanticMetrics } from './semantic.metrics.js';

export interface PlanFeedback {
  /** The `key` of the answer the client judges. */
  key: string;
  /** The goal the client asked. */
  goal: string;
  /** The plan did not answer the goal. */
  wrong: boolean;
}

/**
 * Why a feedback was received but not counted: the caller gave it already, or its share on this
 * entry; a confirmation from the entry's own creator; the entry's own goal (an exact hit, nothing
 * semantic to judge); a goal too far from the entry's ever to be served its plan.
 */
export const IGNORED_FEEDBACK = ['duplicate', 'voter_limit', 'creator', 'own_goal', 'below_candidate_floor'] as const;
export type IgnoredFeedback = (typeof IGNORED_FEEDBACK)[number];

export interface FeedbackReceipt {
  key: string;
  similarity: number;
  wrong: boolean;
  /** Whether this feedback counts as an observation of the entry. */
  counted: boolean;
  /** Why it does not, when it does not. */
  ignored?: IgnoredFeedback;
  /** The entry's threshold after this feedback. */
  threshold: number;
  observations: number;
}

/**
 * A client's word on a plan it was served ("not what I asked"): an observation of the entry at the
 * similarity of the client's goal to the entry's. Only where semantic matching is on, from signed-in
 * callers (anonymous ones only if SEMANTIC_FEEDBACK_ANONYMOUS, and only to report a wrong plan),
 * within LIMIT_FEEDBACK_PER_MINUTE, for the caller's own scope, counted once per caller and goal and
 * a few times per caller and entry. Reports can raise an entry's threshold once enough distinct
 * callers agree (agreedReports); words can never lower it under the global one (EntryThresholds).
 */
@Injectable()
export class SemanticFeedback {
  readonly #enabled: boolean;
  readonly #anonymous: boolean;

  constructor(
    private readonly plans: TaskPlanEntries,
    private readonly thresholds: EntryThresholds,
    private readonly budget: FeedbackBudget,
    private readonly metrics: SemanticMetrics,
    private readonly goalEmbeddings: GoalEmbeddings,
    private readonly forms: MatchingForms,
    private readonly index: SemanticGoalIndex,
    config: AppConfig,
    private readonly scopes: PlanScopes,
    private readonly callerTags: CallerTags,
  ) {
    this.#enabled = config.semantic.enabled;
    this.#anonymous = config.semantic.anonymousFeedback;
  }

  async record(feedback: PlanFeedback, caller: Caller): Promise<FeedbackReceipt> {
    this.#mayGive(feedback, caller);
    await this.budget.take(caller);
    const entry = await this.#entryOf(feedback.key, caller);
    const goal = TaskPlanKey.normalizeGoal(feedback.goal);
    const voter = this.callerTags.of(caller);
    if (goal === entry.goal) return this.#receipt(feedback, 1, 'own_goal');
    const similarity = await this.#similarity(goal, entry);
    if (!feedback.wrong && entry.creator === voter) return this.#receipt(feedback, similarity, 'creator');
    if (similarity < this.thresholds.candidateFloorOf(feedback.key)) {
      return this.#receipt(feedback, similarity, 'below_candidate_floor');
    }
    const outcome = await this.thresholds.recordFeedback(
      feedback.key,
      { similarity, wrong: feedback.wrong },
      { voter, goalHash: createHash('sha256').update(goal).digest('hex') },
    );
    if (typeof outcome === 'string') return this.#receipt(feedback, similarity, outcome);
    this.metrics.observed('feedback', feedback.wrong ? 'false_hit' : 'agreed');
    return this.#receipt(feedback, similarity);
  }

  /** 404 where there is no semantic matching to judge; 401 or 403 for callers whose word does not count. */
  #mayGive(feedback: PlanFeedback, caller: Caller): void {
    if (!this.#enabled) {
      throw new NotFoundException('Semantic matching is off (PLAN_CACHE_SEMANTIC_ENABLED): there is no match to judge');
    }
    if (caller.kind === 'authenticated') return;
    if (!this.#anonymous) {
      throw new UnauthenticatedError('Feedback needs a signed-in caller: send Authorization: Bearer <JWT>');
    }
    if (!feedback.wrong) {
      throw new ForbiddenException(
        'Only signed-in callers may confirm a plan (wrong: false); anonymous callers may report a wrong one',
      );
    }
  }

  #receipt(feedback: PlanFeedback, similarity: number, ignored?: IgnoredFeedback): FeedbackReceipt {
    return {
      key: feedback.key,
      similarity: roundSimilarity(similarity),
      wrong: feedback.wrong,
      counted: ignored === undefined,
      ...(ignored && { ignored }),
      threshold: this.thresholds.thresholdOf(feedback.key),
      observations: this.thresholds.observationsOf(feedback.key),
    };
  }

  /** The cached entry under `key`, if it is in the caller's scope; 404 otherwise (another scope's keys are not told apart from absent ones). */
  async #entryOf(key: string, caller: Caller): Promise<TaskPlanEntry> {
    const { scope } = this.scopes.identityFor({ goal: '' }, caller);
    const inScope = scope === undefined ? /^plan:[0-9a-f]{16}$/u.test(key) : key.startsWith(`plan:${scope}:`);
    const value = inScope ? (this.plans.peek(key) ?? (await this.plans.readShared(key))?.value) : undefined;
    if (!isTaskPlanEntry(value) || value.scope !== scope) {
      throw new NotFoundException(`No cached plan under ${key} for this caller: it expired, was cleared, or never was`);
    }
    return value;
  }

  async #similarity(goal: string, entry: TaskPlanEntry): Promise<number> {
    const stored =
      entry.embedding?.model === this.goalEmbeddings.model ? vectorFromBase64(entry.embedding.vector) : undefined;
    // Read as the matcher read it: typos corrected to the words of the entry's bucket.
    const vocabulary = this.index.vocabularyOf(entry.scope, entry.context_hash);
    const [asked, cached] = await Promise.all([
      this.goalEmbeddings.vectorOfForm(this.forms.of(goal, vocabulary)),
      stored ? Promise.resolve(stored) : this.goalEmbeddings.vectorOfForm(this.forms.of(entry.goal)),
    ]);
    if (!asked || !cached)
      throw new ServiceUnavailableException('The embeddings provider is not answering; try again shortly');
    return dot(asked, cached);
  }
}

/** For display: four decimals, within [-1, 1] (float32 sums land a hair outside). Observations keep the exact value. */
const roundSimilarity = (similarity: number): number =>
  Math.max(-1, Math.min(1, Math.round(similarity * 10_000) / 10_000));
