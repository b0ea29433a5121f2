import { BatchingEmbeddings, type BatchOutcome } from './batching-embeddings.js';
import type { Embedder } from './embedder.js';

/** A provider that records its calls; pure logic under test, so a stand-in is enough. */
class RecordingEmbedder implements Embedder {
  readonly model = 'recording';
  readonly calls: string[][] = [];
  failing = false;

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.calls.push([...texts]);
    if (this.failing) return Promise.reject(new Error('down'));
    return Promise.resolve(texts.map((text) => Float32Array.from([text.length, 1])));
  }
}

const setup = (maxBatch: number) => {
  const provider = new RecordingEmbedder();
  const batches: [number, BatchOutcome][] = [];
  const embeddings = new BatchingEmbeddings(
    provider,
    { windowMs: 5, maxBatch, cacheSize: 100, breakerResetMs: 60_000 },
    { batch: (size, outcome) => batches.push([size, outcome]), cached: () => undefined },
  );
  return { provider, embeddings, batches };
};

describe('BatchingEmbeddings', () => {
  it('sends N concurrent texts in ⌈N / batch⌉ calls, each text once', async () => {
    const { provider, embeddings, batches } = setup(4);
    const texts = Array.from({ length: 10 }, (_, i) => `goal ${i}`);
    const vectors = await Promise.all([...texts, ...texts].map((text) => embeddings.embed(text)));
    expect(provider.calls).toHaveLength(3);
    expect(provider.calls.flat().sort()).toEqual([...texts].sort());
    expect(vectors.every((vector) => vector !== undefined)).toBe(true);
    expect(batches.map(([size]) => size)).toEqual([4, 4, 2]);
    embeddings.shutdown();
  });

  it('answers a recent text from memory', async () => {
    const { provider, embeddings } = setup(8);
    await embeddings.embed('same goal');
    await embeddings.embed('same goal');
    expect(provider.calls).toHaveLength(1);
    embeddings.shutdown();
  });

  it('answers undefined, not an error, when the provider fails', async () => {
    const { provider, embeddings, batches } = setup(8);
    provider.failing = true;
    await expect(embeddings.embed('a goal')).resolves.toBeUndefined();
    expect(batches[0][1]).not.toBe('ok');
    embeddings.shutdown();
  });
});
