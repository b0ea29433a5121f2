import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../../config/index.js';
import type { GoalVocabulary } from './goal-vocabulary.js';
import { matchingFormOf } from './matching-form.js';
import { loadLexicon, type Lexicon } from './lexicon.js';

/**
 * Reads goals as matching reads them ({@link matchingFormOf}), with the spelling dictionaries it
 * needs, loaded at start-up while semantic matching is on. They ship with the service: a failure
 * to load them is a broken install and stops the start, rather than storing goals read by other
 * rules under the same model name.
 */
@Injectable()
export class MatchingForms implements OnModuleInit {
  readonly #enabled: boolean;
  #lexicon?: Lexicon;

  constructor(config: AppConfig) {
    this.#enabled = config.semantic.enabled;
  }

  async onModuleInit(): Promise<void> {
    if (!this.#enabled) return;
    try {
      this.#lexicon = await loadLexicon();
    } catch (error) {
      throw new Error(
        `Semantic matching needs its spelling dictionaries (hunspell-asm, dictionary-en, dictionary-ru): ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /** The goal's matching form; a vocabulary of cached goals' words lets typos of them be corrected. */
  of(goal: string, vocabulary?: GoalVocabulary): string {
    if (!this.#lexicon) throw new Error('Goals are read for matching only while semantic matching is on');
    return matchingFormOf(goal, this.#lexicon, vocabulary);
  }
}
