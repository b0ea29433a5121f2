import type { Embedder } from './embedder.js';
import { contentStems } from './goal-words.js';
import { conceptOf } from './synonyms.js';
import { normalized } from './vectors.js';

const DIMENSIONS = 512;
/** Letter trigrams weigh less than whole stems: they carry typos, not meaning. */
const TRIGRAM_WEIGHT = 0.3;
/**
 * A long stem's first letters, so that derivations the stemmer keeps apart still meet
 * («настроить» → настро, «настройка» → настройк; "deployment" → deploy, "deploying" → deploi).
 */
const PREFIX_LETTERS = 6;
const PREFIX_WEIGHT = 0.75;
/** A long stem is mostly its prefix: the rest tells derivations apart more than meanings. */
const LONG_STEM_WEIGHT = 0.85;

/**
 * The builtin, offline embedding: signed feature hashing of a goal's content stems (Snowball
 * English and Russian) and of their letter trigrams. It catches word order, inflections, stop
 * words and polite filler, and most typos; it cannot know synonyms ("deploy" and "ship" are
 * strangers to it), which is what a remote model is for.
 */
export class LexicalEmbedder implements Embedder {
  readonly model = `builtin-lexical-v2-${DIMENSIONS}`;

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    return Promise.resolve(texts.map((text) => this.embedOne(text)));
  }

  embedOne(text: string): Float32Array {
    const vector = new Float32Array(DIMENSIONS);
    for (const stem of new Set(contentStems(text))) {
      const concept = conceptOf(stem);
      if (concept !== undefined) {
        // Per script: a Russian goal naming GitHub Actions is not its English twin.
        add(vector, `c:${concept}:${/[\u0400-\u04FF]/u.test(stem) ? 'ru' : 'en'}`, 1);
        continue;
      }
      if (stem.length >= PREFIX_LETTERS) {
        add(vector, `w:${stem}`, LONG_STEM_WEIGHT);
        add(vector, `p:${stem.slice(0, PREFIX_LETTERS)}`, PREFIX_WEIGHT);
      } else add(vector, `w:${stem}`, 1);
      const padded = `^${stem}$`;
      const trigrams = Math.max(1, padded.length - 2);
      for (let i = 0; i + 3 <= padded.length; i++) {
        add(vector, `t:${padded.slice(i, i + 3)}`, TRIGRAM_WEIGHT / Math.sqrt(trigrams));
      }
    }
    return normalized(vector);
  }
}

/**
 * Each feature lands in two slots, each with half its energy: two words sharing one slot (one in
 * 512 pairs does) share half a feature, not all of it ("logo" and "menu" were 0.92 alike).
 */
function add(vector: Float32Array, feature: string, weight: number): void {
  const share = weight * Math.SQRT1_2;
  for (const hash of [fnv1a(feature), fnv1a(`${feature}\u0000`)]) {
    vector[hash % DIMENSIONS] += hash & 0x80000000 ? -share : share;
  }
}

/** 32-bit FNV-1a: fast, stable across processes and versions (the vectors are shared through Redis). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
