import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import { TEXT_EMBEDDINGS, type TextEmbeddings, vectorToBase64 } from '../../embeddings/index.js';
import type { GoalEmbedding } from '../task-plan-cache/task-plan-entry.js';
import { goalEmbeddingModel } from './matching-form/matching-form.js';
import { MatchingForms } from './matching-form/matching-forms.js';

/**
 * Goals in the configured embeddings, as matching reads them (their matching form). The model
 * name stored with each embedding names both the embeddings and the matching form's rules.
 */
@Injectable()
export class GoalEmbeddings {
  readonly #enabled: boolean;

  constructor(
    @Inject(TEXT_EMBEDDINGS) private readonly embeddings: TextEmbeddings,
    private readonly forms: MatchingForms,
    config: AppConfig,
  ) {
    this.#enabled = config.semantic.enabled;
  }

  /** The vector space of goal embeddings: the embeddings' model and the matching form's rules. */
  get model(): string {
    return goalEmbeddingModel(this.embeddings.model);
  }

  /**
   * The vector of a matching form ({@link MatchingForms.of}); undefined when the provider fails,
   * or when the form is empty (a goal of punctuation alone has nothing to match on).
   */
  async vectorOfForm(form: string): Promise<Float32Array | undefined> {
    return form === '' ? undefined : this.embeddings.embed(form);
  }

  /** The embedding a new entry carries, so that every instance can index it; none while matching is off or the provider fails. */
  async of(goal: string): Promise<GoalEmbedding | undefined> {
    if (!this.#enabled) return undefined;
    const vector = await this.vectorOfForm(this.forms.of(goal));
    return vector && { model: this.model, vector: vectorToBase64(vector) };
  }
}
