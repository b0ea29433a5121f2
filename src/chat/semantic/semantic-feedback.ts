import { ForbiddenException, Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import type { Caller } from '../../callers/caller.js';
import { TEXT_EMBEDDINGS, type TextEmbeddings } from '../../embeddings/embedder.js';
import { dot, vectorFromBase64 } from '../../embeddings/vectors.js';
import { SemanticMetrics } from '../../metrics/semantic.metrics.js';
import { PlanScopes } from '../task-plan-cache/plan-scope.js';
import { TaskPlanEntries } from '../task-plan-cache/task-plan-entries.js';
import { isTaskPlanEntry, type TaskPlanEntry } from '../task-plan-cache/task-plan-entry.js';
import { TaskPlanKey } from '../task-plan-cache/task-plan-key.js';
import { EntryThresholds } from './entry-thresholds.js';

export interface PlanFeedback {
  /** The `key` of the answer the client judges. */
  key: string;
  /** The goal the client asked. */
  goal: string;
  /** The plan did not answer the goal. */
  wrong: boolean;
}

export interface FeedbackReceipt {
  key: string;
  similarity: number;
  wrong: boolean;
  /** The entry's threshold after this observation. */
  threshold: number;
  observations: number;
}

/**
 * A client's word on a plan it was served ("not what I asked"): an observation of the entry at the
 * similarity of the client's goal to the entry's. Only the caller's own scope can be judged; a
 * confirmation (wrong: false) lowers thresholds, so it is taken from authenticated callers only.
 */
@Injectable()
export class SemanticFeedback {
  constructor(
    private readonly plans: TaskPlanEntries,
    private readonly thresholds: EntryThresholds,
    private readonly metrics: SemanticMetrics,
    @Inject(TEXT_EMBEDDINGS) private readonly embeddings: TextEmbeddings,
    private readonly scopes: PlanScopes,
  ) {}

  async record(feedback: PlanFeedback, caller: Caller): Promise<FeedbackReceipt> {
    if (!feedback.wrong && caller.kind !== 'authenticated') {
      throw new ForbiddenException(
        'Only signed-in callers may confirm a plan (wrong: false); anyone may report a wrong one',
      );
    }
    const entry = await this.#entryOf(feedback.key, caller);
    const goal = TaskPlanKey.normalizeGoal(feedback.goal);
    const similarity = goal === entry.goal ? 1 : await this.#similarity(goal, entry);
    const observation = { similarity, wrong: feedback.wrong };
    const threshold = await this.thresholds.record(feedback.key, observation, 'feedback');
    this.metrics.observed('feedback', feedback.wrong ? 'false_hit' : 'agreed');
    return {
      key: feedback.key,
      similarity: roundSimilarity(similarity),
      wrong: feedback.wrong,
      threshold,
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
      entry.embedding?.model === this.embeddings.model ? vectorFromBase64(entry.embedding.vector) : undefined;
    const [asked, cached] = await Promise.all([
      this.embeddings.embed(goal),
      stored ? Promise.resolve(stored) : this.embeddings.embed(entry.goal),
    ]);
    if (!asked || !cached)
      throw new ServiceUnavailableException('The embeddings provider is not answering; try again shortly');
    return dot(asked, cached);
  }
}

/** For display: four decimals, within [-1, 1] (float32 sums land a hair outside). Observations keep the exact value. */
const roundSimilarity = (similarity: number): number =>
  Math.max(-1, Math.min(1, Math.round(similarity * 10_000) / 10_000));
