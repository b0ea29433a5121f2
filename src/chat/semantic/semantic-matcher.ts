import { Injectable } from '@nestjs/common';
import { TaskPlanEntries } from '../task-plan-cache/task-plan-entries.js';
import { isTaskPlanEntryFor, type CachedTaskPlan } from '../task-plan-cache/task-plan-entry.js';
import type { TaskPlanIdentity } from '../task-plan-cache/task-plan-key.js';
import type { TaskPlanPolicy } from '../task-plan-cache/task-plan-policy.js';
import { EntryThresholds } from './entry-thresholds.js';
import type { Neighbour } from './goal-bucket.js';
import { GoalEmbeddings } from './goal-embeddings.js';
import { MatchingForms } from './matching-form/matching-forms.js';
import { firstDisagreement, signatureOf } from './identity-gates.js';
import { SemanticGoalIndex } from './semantic-goal-index.js';
import { SemanticMetrics, type SemanticRefusal } from './semantic.metrics.js';

/** A cached plan of another goal, near enough and agreeing on every identity gate. */
export interface SemanticCandidate {
  key: string;
  /** The plan with its life, as the cache holds it. */
  entry: CachedTaskPlan;
  similarity: number;
  tier: 'l1' | 'l2';
}

export interface SemanticLookup {
  /** The plan to serve. */
  match?: SemanticCandidate;
  /**
   * A candidate that agreed on every gate but fell short of its threshold: the plan generated
   * instead is compared with it, an observation for free.
   */
  nearMiss?: SemanticCandidate;
}

/** Candidates looked at per request: the nearest few, since a gate may refuse the nearest. */
const CANDIDATES = 5;

/**
 * Near-duplicate goals: on an exact miss, the cached goals of the same scope, project context and
 * embedding model nearest to the request's goal, served only when one passes its threshold (the
 * entry's learned one, else the global one), every identity gate, and is fresh for the request.
 */
@Injectable()
export class SemanticMatcher {
  constructor(
    private readonly index: SemanticGoalIndex,
    private readonly thresholds: EntryThresholds,
    private readonly plans: TaskPlanEntries,
    private readonly metrics: SemanticMetrics,
    private readonly goalEmbeddings: GoalEmbeddings,
    private readonly forms: MatchingForms,
  ) {}

  async find(identity: TaskPlanIdentity, policy: TaskPlanPolicy, maxAgeMs?: number): Promise<SemanticLookup> {
    // The goal is read as matching reads every goal, its typos corrected to the words of the goals it may match.
    const form = this.forms.of(identity.goal, this.index.vocabularyOf(identity.scope, identity.contextHash));
    if (form === '') return {};
    const vector = await this.goalEmbeddings.vectorOfForm(form);
    if (!vector) {
      this.metrics.refused('embeddings_unavailable');
      return {};
    }
    const neighbours = this.index
      .nearest(identity.scope, identity.contextHash, vector, CANDIDATES)
      .filter(({ goal }) => goal.key !== identity.key);
    if (neighbours.length === 0) return {};

    const signature = signatureOf(form);
    let refusal: SemanticRefusal | undefined;
    let nearMiss: SemanticCandidate | undefined;
    for (const neighbour of neighbours) {
      const gate = firstDisagreement(signature, neighbour.goal.signature);
      if (gate) {
        refusal ??= gate;
        continue;
      }
      if (neighbour.similarity >= this.thresholds.thresholdOf(neighbour.goal.key)) {
        const match = await this.#usable(identity, neighbour, policy, maxAgeMs);
        if (match) return { match, nearMiss };
        continue;
      }
      refusal ??= 'threshold';
      if (!nearMiss && neighbour.similarity >= this.thresholds.nearMissFloor) {
        nearMiss = await this.#usable(identity, neighbour, policy, maxAgeMs);
      }
    }
    if (refusal) this.metrics.refused(refusal);
    return { nearMiss };
  }

  /** The candidate's entry, if it is still there, still its goal's, and fresh for this request. */
  async #usable(
    identity: TaskPlanIdentity,
    { goal, similarity }: Neighbour,
    policy: TaskPlanPolicy,
    maxAgeMs: number | undefined,
  ): Promise<SemanticCandidate | undefined> {
    // The entry must still be the candidate goal's, in the asking scope and context.
    const theirs = { ...identity, goal: goal.goal };
    const isTheirs = (entry: CachedTaskPlan | undefined): entry is CachedTaskPlan =>
      entry !== undefined && isTaskPlanEntryFor(entry.value, theirs);
    const local = this.plans.peekEntry(goal.key);
    let found: { entry: CachedTaskPlan; tier: 'l1' | 'l2' } | undefined;
    if (isTheirs(local)) found = { entry: local, tier: 'l1' };
    else {
      const shared = await this.plans.readShared(goal.key);
      if (isTheirs(shared)) found = { entry: shared, tier: 'l2' };
    }
    if (!found) {
      this.index.forget(goal.key);
      return undefined;
    }
    if (!policy.isFresh(found.entry, Date.now(), maxAgeMs)) return undefined;
    return { key: goal.key, similarity, ...found };
  }
}
