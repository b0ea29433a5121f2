import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/index.js';
import { BatchingEmbeddings } from './batching-embeddings.js';
import { TEXT_EMBEDDINGS, type Embedder } from './embedder.js';
import { EmbeddingsMetrics } from './embeddings.metrics.js';
import { LexicalEmbedder } from './lexical-embedder.js';
import { OpenAiEmbedder } from './openai-embedder.js';

/** How long a failing embeddings server is left alone before one call tries it again. */
const BREAKER_RESET_MS = 5_000;

function providerOf({ embeddings }: AppConfig): Embedder {
  if (embeddings.provider === 'builtin') return new LexicalEmbedder();
  return new OpenAiEmbedder({
    baseUrl: embeddings.baseUrl ?? '',
    apiKey: embeddings.apiKey,
    model: embeddings.model,
    timeoutMs: embeddings.timeoutMs,
    maxResponseBytes: embeddings.maxResponseBytes,
  });
}

/** Text embeddings (EMBEDDINGS_PROVIDER): builtin lexical or an OpenAI-compatible server, batched and cached. */
@Module({
  providers: [
    EmbeddingsMetrics,
    {
      provide: TEXT_EMBEDDINGS,
      inject: [AppConfig, EmbeddingsMetrics],
      useFactory: (config: AppConfig, metrics: EmbeddingsMetrics) => {
        const { batchWindowMs, batchMax, cacheSize } = config.embeddings;
        const settings = { windowMs: batchWindowMs, maxBatch: batchMax, cacheSize, breakerResetMs: BREAKER_RESET_MS };
        return new BatchingEmbeddings(providerOf(config), settings, metrics);
      },
    },
  ],
  exports: [TEXT_EMBEDDINGS],
})
export class EmbeddingsModule implements OnApplicationShutdown {
  constructor(@Inject(TEXT_EMBEDDINGS) private readonly embeddings: BatchingEmbeddings) {}

  onApplicationShutdown(): void {
    this.embeddings.shutdown();
  }
}
