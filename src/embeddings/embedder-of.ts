import type { EmbeddingsSettings } from '../config/index.js';
import type { Embedder } from './embedder.js';
import { LexicalEmbedder } from './lexical-embedder.js';
import { OpenAiEmbedder } from './openai-embedder.js';

/** The configured provider (EMBEDDINGS_PROVIDER), unbatched and uncached. */
export function embedderOf(embeddings: EmbeddingsSettings): Embedder {
  if (embeddings.provider === 'builtin') return new LexicalEmbedder();
  return new OpenAiEmbedder({
    baseUrl: embeddings.baseUrl ?? '',
    apiKey: embeddings.apiKey,
    model: embeddings.model,
    timeoutMs: embeddings.timeoutMs,
    maxResponseBytes: embeddings.maxResponseBytes,
  });
}
