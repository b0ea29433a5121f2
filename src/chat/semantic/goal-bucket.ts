import { Index, MetricKind, ScalarKind } from 'usearch';
import { dot, wordsOf } from '../../embeddings/index.js';
import type { GoalSignature } from './identity-gates.js';
import { GoalVocabulary } from './matching-form/goal-vocabulary.js';

/** A cached goal as the index holds it. */
export interface IndexedGoal {
  key: string;
  /** The normalized goal. */
  goal: string;
  /** What the identity gates compare, read from the goal's matching form once, when it is indexed. */
  signature: GoalSignature;
  vector: Float32Array;
}

export interface Neighbour {
  goal: IndexedGoal;
  similarity: number;
}

/**
 * Up to this many goals a bucket scans them all (exact, about a millisecond at this size); beyond,
 * an HNSW graph (usearch) answers in well under a millisecond where a scan of 100,000 would take
 * tens (docs/load.md, "Semantic index").
 */
export const EXACT_SCAN_MAX = 2_000;
/** New goals are scanned until this many wait, then added to the graph in one multi-threaded call. */
const GRAPH_BATCH = 256;

/** Goals that may stand in for each other: one scope, one project context, one embedding model. */
export class GoalBucket {
  /** Goals in the graph, by the graph's id. */
  readonly #graphed = new Map<bigint, IndexedGoal>();
  readonly #idOf = new Map<string, bigint>();
  /** Goals not in the graph (all of them while the bucket is small): scanned. */
  readonly #scanned = new Map<string, IndexedGoal>();
  #graph?: Index;
  #nextId = 0n;
  /** The words of the bucket's goals, kept with them: what a typed goal's typos may be corrected to. */
  readonly vocabulary = new GoalVocabulary();

  constructor(readonly dimensions: number) {}

  get size(): number {
    return this.#graphed.size + this.#scanned.size;
  }

  put(goal: IndexedGoal): void {
    this.remove(goal.key);
    this.#scanned.set(goal.key, goal);
    this.vocabulary.add(wordsOf(goal.goal));
    if (this.size > EXACT_SCAN_MAX && this.#scanned.size >= (this.#graph ? GRAPH_BATCH : 1)) this.#addToGraph();
  }

  remove(key: string): boolean {
    const removed = this.#scanned.get(key) ?? this.#graphed.get(this.#idOf.get(key) ?? -1n);
    if (!removed) return false;
    this.vocabulary.remove(wordsOf(removed.goal));
    if (this.#scanned.delete(key)) return true;
    const id = this.#idOf.get(key)!;
    this.#idOf.delete(key);
    this.#graphed.delete(id);
    this.#graph?.remove(id);
    return true;
  }

  /** The `count` goals most similar to `vector`, most similar first. */
  nearest(vector: Float32Array, count: number): Neighbour[] {
    const best: Neighbour[] = this.#graph ? this.#searchGraph(vector, count) : [];
    for (const goal of this.#scanned.values()) {
      const similarity = dot(vector, goal.vector);
      if (best.length >= count && similarity <= best[best.length - 1].similarity) continue;
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
      const goal = this.#graphed.get(id);
      // The graph's distance is in its own precision: the similarity is computed again, exactly.
      if (goal) found.push({ goal, similarity: dot(vector, goal.vector) });
    }
    return found.sort((a, b) => b.similarity - a.similarity);
  }

  #addToGraph(): void {
    this.#graph ??= new Index({
      metric: MetricKind.Cos,
      dimensions: this.dimensions,
      connectivity: 16,
      quantization: ScalarKind.F32,
      // usearch's defaults for building and searching (0: the library's own).
      expansion_add: 0,
      expansion_search: 0,
      multi: false,
    });
    const goals = [...this.#scanned.values()];
    const ids = new BigUint64Array(goals.length);
    const matrix = new Float32Array(goals.length * this.dimensions);
    goals.forEach((goal, row) => {
      const id = this.#nextId++;
      ids[row] = id;
      matrix.set(goal.vector, row * this.dimensions);
      this.#graphed.set(id, goal);
      this.#idOf.set(goal.key, id);
    });
    this.#graph.add(ids, matrix, 0);
    this.#scanned.clear();
  }
}
