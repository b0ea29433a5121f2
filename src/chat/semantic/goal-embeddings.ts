import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import { TEXT_EMBEDDINGS, type TextEmbeddings, vectorToBase64 } from '../../embeddings/index.js';
import type { GoalEmbedding } from '../task-plan-cache/task-plan-entry.js';

/** The embedding a new entry carries, so that every instance can index it; none while matching is off. */
@Injectable()
export class GoalEmbeddings {
  readonly #enabled: boolean;

  constructor(
    @Inject(TEXT_EMBEDDINGS) private readonly embeddings: TextEmbeddings,
    config: AppConfig,
  ) {
    this.#enabled = config.semantic.enabled;
  }

  /** Undefined when matching is off or the embeddings provider fails: the plan is stored all the same. */
  async of(goal: string): Promise<GoalEmbedding | undefined> {
    if (!this.#enabled) return undefined;
    const vector = await this.embeddings.embed(goal);
    return vector && { model: this.embeddings.model, vector: vectorToBase64(vector) };
  }
}
