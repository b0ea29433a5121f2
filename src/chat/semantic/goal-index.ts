import { GoalBucket, type IndexedGoal, type Neighbour } from './goal-bucket.js';
import type { GoalVocabulary } from './matching-form/goal-vocabulary.js';

/** Which goals may stand in for each other: one scope (tenant or shared), one project context, one model. */
export interface BucketOf {
  scope?: string;
  contextHash: string;
  model: string;
}

const bucketId = ({ scope, contextHash, model }: BucketOf): string =>
  `${scope ?? ''}\u0000${contextHash}\u0000${model}`;

/**
 * The in-process nearest-neighbour index of cached goals, one bucket per scope, context and model:
 * a goal is only ever compared with goals it may share a plan with, and never with vectors of
 * another model (a mixed-model index compares meaningless numbers).
 */
export class GoalIndex {
  readonly #buckets = new Map<string, GoalBucket>();
  /** Each key's bucket, to drop it by key alone (an invalidation names keys, not buckets). */
  readonly #bucketOfKey = new Map<string, string>();

  get size(): number {
    return this.#bucketOfKey.size;
  }

  put(where: BucketOf, goal: IndexedGoal): void {
    const id = bucketId(where);
    const previous = this.#bucketOfKey.get(goal.key);
    if (previous !== undefined && previous !== id) this.remove(goal.key);
    let bucket = this.#buckets.get(id);
    if (bucket && bucket.dimensions !== goal.vector.length) return; // a model that changed its size: refuse
    if (!bucket) this.#buckets.set(id, (bucket = new GoalBucket(goal.vector.length)));
    bucket.put(goal);
    this.#bucketOfKey.set(goal.key, id);
  }

  remove(key: string): void {
    const id = this.#bucketOfKey.get(key);
    if (id === undefined) return;
    this.#bucketOfKey.delete(key);
    const bucket = this.#buckets.get(id);
    bucket?.remove(key);
    if (bucket?.size === 0) this.#buckets.delete(id);
  }

  clear(): void {
    this.#buckets.clear();
    this.#bucketOfKey.clear();
  }

  has(key: string): boolean {
    return this.#bucketOfKey.has(key);
  }

  /** The words of the goals of a bucket, which a typed goal's typos are corrected to. */
  vocabularyOf(where: BucketOf): GoalVocabulary | undefined {
    return this.#buckets.get(bucketId(where))?.vocabulary;
  }

  nearest(where: BucketOf, vector: Float32Array, count: number): Neighbour[] {
    const bucket = this.#buckets.get(bucketId(where));
    if (!bucket || bucket.dimensions !== vector.length) return [];
    return bucket.nearest(vector, count);
  }
}
