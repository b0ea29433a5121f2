import { CacheableMemory } from 'cacheable';
import { SpanKind } from '@opentelemetry/api';
import CircuitBreaker from 'opossum';
import { GenAi, genAiSpanName, failed, inSpan } from '../tracing/index.js';
import type { Embedder, TextEmbeddings } from './embedder.js';

export interface BatchingSettings {
  /** How long the first text of a batch waits for others. */
  windowMs: number;
  /** Texts per provider call at most. */
  maxBatch: number;
  /** Recent texts whose vectors are kept. */
  cacheSize: number;
  /** How long a failing provider is left alone before one call tries it again. */
  breakerResetMs: number;
}

export type BatchOutcome = 'ok' | 'failed' | 'short_circuited';

/** What the batcher reports, as data: metrics subscribe to it. */
export interface EmbeddingsObserver {
  batch(size: number, outcome: BatchOutcome): void;
  cached(): void;
}

interface Waiting {
  text: string;
  resolve: (vector: Float32Array | undefined) => void;
}

/**
 * Embeddings for many concurrent requests in few provider calls: the texts that arrive within a
 * window (or until a batch is full) go out as one call, a text is embedded once however many
 * requests carry it, and recent texts' vectors are kept. A provider that fails or times out makes
 * the answer undefined, never an error; after repeated failures a circuit breaker answers that at
 * once for a while.
 */
export class BatchingEmbeddings implements TextEmbeddings {
  readonly #vectors: CacheableMemory;
  readonly #breaker: CircuitBreaker<[readonly string[]], Float32Array[]>;
  /** Texts waiting for the next batch, and the requests for each. */
  readonly #waiting = new Map<string, Waiting[]>();
  /** Texts of batches under way: a request for one joins it. */
  readonly #inFlight = new Map<string, Promise<Float32Array | undefined>>();
  #timer?: NodeJS.Timeout;

  constructor(
    private readonly provider: Embedder,
    private readonly settings: BatchingSettings,
    private readonly observer: EmbeddingsObserver,
  ) {
    this.#vectors = new CacheableMemory({ lruSize: Math.max(1, settings.cacheSize), useClone: false });
    this.#breaker = new CircuitBreaker((texts: readonly string[]) => provider.embed(texts), {
      timeout: false,
      resetTimeout: settings.breakerResetMs,
      errorThresholdPercentage: 50,
      volumeThreshold: 3,
      rollingCountTimeout: 10_000,
    });
  }

  get model(): string {
    return this.provider.model;
  }

  embed(text: string): Promise<Float32Array | undefined> {
    const known = this.#vectors.get<Float32Array>(text);
    if (known) {
      this.observer.cached();
      return Promise.resolve(known);
    }
    const running = this.#inFlight.get(text);
    if (running) return running;
    return new Promise((resolve) => {
      const waiting = this.#waiting.get(text);
      if (waiting) waiting.push({ text, resolve });
      else this.#waiting.set(text, [{ text, resolve }]);
      if (this.#waiting.size >= this.settings.maxBatch) this.#flush();
      else this.#timer ??= setTimeout(() => this.#flush(), this.settings.windowMs);
    });
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = [...this.#waiting.entries()].slice(0, this.settings.maxBatch);
    for (const [text] of batch) this.#waiting.delete(text);
    if (this.#waiting.size > 0) this.#timer = setTimeout(() => this.#flush(), 0);
    if (batch.length === 0) return;
    const texts = batch.map(([text]) => text);
    const call = this.#call(texts);
    batch.forEach(([text, requests], position) => {
      const vector = call.then((vectors) => vectors?.[position]);
      this.#inFlight.set(text, vector);
      void vector.then((value) => {
        this.#inFlight.delete(text);
        for (const request of requests) request.resolve(value);
      });
    });
  }

  /** One provider call for a batch, as a GenAI `embeddings {model}` span; undefined when it fails. */
  #call(texts: string[]): Promise<Float32Array[] | undefined> {
    const attributes = {
      [GenAi.operationName]: 'embeddings',
      [GenAi.requestModel]: this.model,
      'embeddings.batch_size': texts.length,
    };
    return inSpan(genAiSpanName('embeddings', this.model), { kind: SpanKind.CLIENT, attributes }, async (span) => {
      try {
        const vectors = await this.#breaker.fire(texts);
        texts.forEach((text, position) => this.#vectors.set(text, vectors[position]));
        this.observer.batch(texts.length, 'ok');
        return vectors;
      } catch (error) {
        failed(span, error);
        this.observer.batch(texts.length, this.#breaker.opened ? 'short_circuited' : 'failed');
        return undefined;
      }
    });
  }

  shutdown(): void {
    clearTimeout(this.#timer);
    this.#breaker.shutdown();
  }
}
