import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import { TEXT_EMBEDDINGS, type TextEmbeddings, vectorToBase64 } from '../../embeddings/index.js';
import type { GoalEmbedding } from '../task-plan-cache/task-plan-entry.js';
import type { GoalVocabulary } from './matching-form/goal-vocabulary.js';
import { goalEmbeddingModel, matchingFormOf } from './matching-form/matching-form.js';
import { loadSpellingDictionary, NO_DICTIONARY, type SpellingDictionary } from './matching-form/spelling-dictionary.js';

/**
 * Goals as semantic matching embeds them: their matching form (framing stripped, typos of the
 * cached goals' words corrected, verb forms lemmatized) in the configured embeddings. The model
 * name stored with each embedding names both the embeddings and the matching form's rules.
 */
@Injectable()
export class GoalEmbeddings implements OnModuleInit {
  readonly #logger = new Logger('GoalEmbeddings');
  readonly #enabled: boolean;
  #dictionary: SpellingDictionary = NO_DICTIONARY;

  constructor(
    @Inject(TEXT_EMBEDDINGS) private readonly embeddings: TextEmbeddings,
    config: AppConfig,
  ) {
    this.#enabled = config.semantic.enabled;
  }

  async onModuleInit(): Promise<void> {
    if (!this.#enabled) return;
    try {
      this.#dictionary = await loadSpellingDictionary();
    } catch (error) {
      this.#logger.warn({
        msg: 'The spelling dictionaries did not load: typos are not corrected and Russian verb forms not lemmatized',
        err: (error as Error).message,
      });
    }
  }

  /** The vector space of goal embeddings: the embeddings' model and the matching form's rules. */
  get model(): string {
    return goalEmbeddingModel(this.embeddings.model);
  }

  /** The goal as matching reads it; a vocabulary of cached goals' words lets typos of them be corrected. */
  formOf(goal: string, vocabulary?: GoalVocabulary): string {
    return matchingFormOf(goal, this.#dictionary, vocabulary);
  }

  /** The vector of a goal's matching form, or undefined when the embeddings provider fails. */
  vectorOf(goal: string, vocabulary?: GoalVocabulary): Promise<Float32Array | undefined> {
    return this.vectorOfForm(this.formOf(goal, vocabulary));
  }

  /** The vector of a matching form already read ({@link formOf}). */
  vectorOfForm(form: string): Promise<Float32Array | undefined> {
    return this.embeddings.embed(form);
  }

  /** The embedding a new entry carries, so that every instance can index it; none while matching is off or the provider fails. */
  async of(goal: string): Promise<GoalEmbedding | undefined> {
    if (!this.#enabled) return undefined;
    const vector = await this.vectorOf(goal);
    return vector && { model: this.model, vector: vectorToBase64(vector) };
  }
}
