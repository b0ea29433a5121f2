/** Turns texts into unit vectors; similar meaning, high dot product. */
export interface Embedder {
  /** Names the vector space: vectors of different models are never compared. */
  readonly model: string;
  /** One unit vector per text, in order. Rejects when the embeddings cannot be had. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** The service's embedder: batched, cached by text, and failing soft (undefined, never an error). */
export interface TextEmbeddings {
  readonly model: string;
  /** The text's unit vector, or undefined when the provider fails or is too slow. */
  embed(text: string): Promise<Float32Array | undefined>;
}

/** Injection token of {@link TextEmbeddings}. */
export const TEXT_EMBEDDINGS = Symbol('TEXT_EMBEDDINGS');
