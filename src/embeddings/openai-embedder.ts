import { context, propagation } from '@opentelemetry/api';
import { bodyStart, readCappedJson } from '../common/index.js';
import type { Embedder } from './embedder.js';
import { normalized } from './vectors.js';

export interface OpenAiEmbedderSettings {
  /** e.g. `https://api.openai.com/v1`; `/embeddings` is appended. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
  /** Bytes read of an answer; past them the call fails and the connection is closed. */
  maxResponseBytes: number;
}

interface EmbeddingsAnswer {
  data?: { index?: number; embedding?: unknown }[];
}

/**
 * Any OpenAI-compatible `POST /embeddings`: all texts in one call (`input: [...]`), within a
 * deadline, reading at most `maxResponseBytes` of the answer. Anything but a whole, well-formed
 * answer within them rejects; the caller degrades to exact matching.
 */
export class OpenAiEmbedder implements Embedder {
  readonly #endpoint: string;

  constructor(private readonly settings: OpenAiEmbedderSettings) {
    this.#endpoint = `${settings.baseUrl.replace(/\/+$/, '')}/embeddings`;
  }

  get model(): string {
    return this.settings.model;
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const { apiKey, model, timeoutMs, maxResponseBytes } = this.settings;
    const deadline = AbortSignal.timeout(timeoutMs);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    propagation.inject(context.active(), headers);
    const response = await fetch(this.#endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model, input: texts }),
      signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
    });
    if (!response.ok) {
      throw new Error(`The embeddings server answered HTTP ${response.status}: ${await bodyStart(response)}`);
    }
    const answer = (await readCappedJson(response, maxResponseBytes)) as EmbeddingsAnswer;
    return vectorsOf(answer, texts.length);
  }
}

function vectorsOf(answer: EmbeddingsAnswer, count: number): Float32Array[] {
  const rows = answer.data;
  if (!Array.isArray(rows) || rows.length !== count)
    throw new Error('The embeddings answer has the wrong number of rows');
  const vectors = new Array<Float32Array>(count);
  rows.forEach((row, position) => {
    const index = row.index ?? position;
    const values = row.embedding;
    if (!Number.isInteger(index) || index < 0 || index >= count || !Array.isArray(values) || values.length === 0) {
      throw new Error('The embeddings answer has a malformed row');
    }
    if (!values.every((value) => typeof value === 'number' && Number.isFinite(value))) {
      throw new Error('The embeddings answer has a value that is not a number');
    }
    vectors[index] = normalized(Float32Array.from(values as number[]));
  });
  if (vectors.some((vector) => vector === undefined || vector.length !== vectors[0].length)) {
    throw new Error('The embeddings answer misses rows or mixes lengths');
  }
  return vectors;
}
