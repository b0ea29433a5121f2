import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/index.js';
import { BatchingEmbeddings } from './batching-embeddings.js';
import { TEXT_EMBEDDINGS } from './embedder.js';
import { EmbeddingsMetrics } from './embeddings.metrics.js';
import { embedderOf } from './embedder-of.js';

/** How long a failing embeddings server is left alone before one call tries it again. */
const BREAKER_RESET_MS = 5_000;

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
        return new BatchingEmbeddings(embedderOf(config.embeddings), settings, metrics);
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
