import { loadSpellingDictionary, type SpellingDictionary } from './spelling-dictionary.js';

/** English lemmas by part of speech (wink-lemmatizer). */
export interface EnglishLemmatizer {
  noun(word: string): string;
  verb(word: string): string;
}

/** What the matching form knows of the two languages: their spelling, and English lemmas. */
export interface Lexicon extends SpellingDictionary {
  readonly lemmatizer: EnglishLemmatizer;
}

/**
 * Loads the lexicon. Only semantic matching reads goals through it, so its modules are imported
 * here, not at start-up: wink-lemmatizer alone adds 55 MB and 0.2 s to a process that loads it,
 * and the dictionaries 12 MB more.
 */
export async function loadLexicon(): Promise<Lexicon> {
  const [dictionary, lemmatizer] = await Promise.all([
    loadSpellingDictionary(),
    import('wink-lemmatizer').then((module) => module.default),
  ]);
  return { isWord: (word) => dictionary.isWord(word), lemmatizer };
}
