// The module's public surface, what other modules use: they import it from here or from its *.module.ts,
// never from its other files (eslint.config.js, boundaries).
export { TEXT_EMBEDDINGS } from './embedder.js';
export type { TextEmbeddings } from './embedder.js';
export { isStopWord, stemOf, wordsOf } from './goal-words.js';
export { dot, vectorFromBase64, vectorToBase64 } from './vectors.js';
export type { Embedder } from './embedder.js';
export { embedderOf } from './embedder-of.js';
