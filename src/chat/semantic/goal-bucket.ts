import { Index, MetricKind, ScalarKind } from 'usearch';
import { dot } from '../../embeddings/vectors.js';

/** A cached goal as the index holds it. */
export interface IndexedGoal {
  key: string;
  /** The normalized goal. */
  goal: string;
  vector: Float32Array;
}

export interface Neighbour {
  goal: IndexedGoal;
  similarity: number;
}

/**
 * Up to this many goals a bucket scans them all (exact, and under a millisecond at this size);
 * beyond, an HNSW graph (usearch) answers in well under a millisecond where a scan would take
 * tens (docs/load.md, "Semantic index").
 */
export const EXACT_SCAN_MAX = 2_000;

/** Goals that may stand in for each other: one scope, one project context, one embedding model. */
export class GoalBucket {
  readonly #byKey = new Map<string, { id: bigint; goal: IndexedGoal }>();
  readonly #byId = new Map<bigint, IndexedGoal>();
  #graph?: Index;
  #nextId = 0n;

  constructor(readonly dimensions: number) {}

  get size(): number {
    return this.#byKey.size;
  }

  put(goal: IndexedGoal): void {
    this.remove(goal.key);
    const id = this.#nextId++;
    this.#byKey.set(goal.key, { id, goal });
    this.#byId.set(id, goal);
    if (this.#graph) this.#graph.add(id, goal.vector);
    else if (this.#byKey.size > EXACT_SCAN_MAX) this.#buildGraph();
  }

  remove(key: string): boolean {
    const held = this.#byKey.get(key);
    if (!held) return false;
    this.#byKey.delete(key);
    this.#byId.delete(held.id);
    this.#graph?.remove(held.id);
    return true;
  }

  /** The `count` goals most similar to `vector`, most similar first. */
  nearest(vector: Float32Array, count: number): Neighbour[] {
    if (this.#graph) return this.#searchGraph(vector, count);
    const best: Neighbour[] = [];
    for (const { goal } of this.#byKey.values()) {
      const similarity = dot(vector, goal.vector);
      if (best.length === count && similarity <= best[count - 1].similarity) continue;
      best.push({ goal, similarity });
      best.sort((a, b) => b.similarity - a.similarity);
      if (best.length > count) best.pop();
    }
    return best;
  }

  #searchGraph(vector: Float32Array, count: number): Neighbour[] {
    const { keys } = this.#graph!.search(vector, count, 1);
    const found: Neighbour[] = [];
    for (const id of keys) {
      const goal = this.#byId.get(id);
      // The graph's distance is computed in its own precision: the similarity is the exact one.
      if (goal) found.push({ goal, similarity: dot(vector, goal.vector) });
    }
    return found.sort((a, b) => b.similarity - a.similarity);
  }

  #buildGraph(): void {
    const graph = new Index({
      metric: MetricKind.Cos,
      dimensions: this.dimensions,
      connectivity: 16,
      quantization: ScalarKind.F32,
      // usearch's defaults for building and searching (0: let the library choose).
      expansion_add: 0,
      expansion_search: 0,
      multi: false,
    });
    const ids = new BigUint64Array(this.#byId.size);
    const matrix = new Float32Array(this.#byId.size * this.dimensions);
    let row = 0;
    for (const [id, goal] of this.#byId) {
      ids[row] = id;
      matrix.set(goal.vector, row * this.dimensions);
      row++;
    }
    graph.add(ids, matrix, 0);
    this.#graph = graph;
  }
}
