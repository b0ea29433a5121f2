import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import { vectorFromBase64 } from '../../embeddings/index.js';
import { TaskPlanEntries } from '../task-plan-cache/task-plan-entries.js';
import type { CachedTaskPlan } from '../task-plan-cache/task-plan-entry.js';
import { GoalEmbeddings } from './goal-embeddings.js';
import { MatchingForms } from './matching-form/matching-forms.js';
import { GoalIndex, type BucketOf } from './goal-index.js';
import { signatureOf } from './identity-gates.js';
import type { GoalVocabulary } from './matching-form/goal-vocabulary.js';
import type { Neighbour } from './goal-bucket.js';

/** Most entries read back from Redis into the index at start-up (and after the bus was lost). */
const REBUILD_MAX = 100_000;
const REBUILD_BATCH = 200;
/** How often goals whose entries are gone are dropped from the index. */
const PRUNE_EVERY_MS = 60_000;
/** Start-up waits this long for the index; a larger one goes on being rebuilt while the service answers. */
const STARTUP_WAIT_MS = 2_000;

/**
 * The cached goals of task plans as a nearest-neighbour index, in step with the `plan` namespace on
 * every instance: an entry stored here is indexed at once; one stored by another instance arrives
 * over the bus and is read from Redis; invalidations drop their keys; after a restart, or a bus
 * outage, the index is rebuilt from the entries in Redis, which carry their goals' embeddings.
 * A match is always checked against the entry itself, so a goal the index still holds after its
 * entry left is a miss, never a wrong plan.
 */
@Injectable()
export class SemanticGoalIndex implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #logger = new Logger('SemanticGoalIndex');
  readonly #index = new GoalIndex();
  /** When each indexed entry ends (its usableUntil), for pruning. */
  readonly #until = new Map<string, number>();
  readonly #enabled: boolean;
  #timer?: NodeJS.Timeout;
  #rebuilding?: Promise<void>;

  constructor(
    private readonly plans: TaskPlanEntries,
    private readonly goalEmbeddings: GoalEmbeddings,
    private readonly forms: MatchingForms,
    config: AppConfig,
  ) {
    this.#enabled = config.semantic.enabled;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.#enabled) return;
    this.plans.watch({
      stored: (key, entry) => this.add(key, entry),
      storedElsewhere: (keys) => void this.#readFromShared(keys),
      dropped: (keys) => {
        if (keys) for (const key of keys) this.#remove(key);
        else {
          this.#index.clear();
          this.#until.clear();
          void this.rebuild();
        }
      },
    });
    this.#timer = setInterval(() => this.#prune(), PRUNE_EVERY_MS).unref();
    let waited: NodeJS.Timeout | undefined;
    const patience = new Promise<void>((resolve) => (waited = setTimeout(resolve, STARTUP_WAIT_MS)));
    // Until the index is whole, a near-duplicate may be missed (a generation), never served wrongly.
    await Promise.race([this.rebuild(), patience]);
    clearTimeout(waited);
  }

  onApplicationShutdown(): void {
    clearInterval(this.#timer);
  }

  get size(): number {
    return this.#index.size;
  }

  get model(): string {
    return this.goalEmbeddings.model;
  }

  /** Indexes an entry that carries an embedding of the current model; any other is left out. */
  add(key: string, { value: entry, usableUntil }: CachedTaskPlan): void {
    if (entry.embedding?.model !== this.goalEmbeddings.model) return;
    const vector = vectorFromBase64(entry.embedding.vector);
    if (!vector) return;
    const signature = signatureOf(this.forms.of(entry.goal));
    this.#index.put(this.#bucketOf(entry.scope, entry.context_hash), { key, goal: entry.goal, signature, vector });
    this.#until.set(key, usableUntil);
  }

  nearest(scope: string | undefined, contextHash: string, vector: Float32Array, count: number): Neighbour[] {
    return this.#index.nearest(this.#bucketOf(scope, contextHash), vector, count);
  }

  /** The words of the goals cached in a bucket, which a typed goal's typos are corrected to. */
  vocabularyOf(scope: string | undefined, contextHash: string): GoalVocabulary | undefined {
    return this.#index.vocabularyOf(this.#bucketOf(scope, contextHash));
  }

  /** Forgets a goal whose entry turned out to be gone. */
  forget(key: string): void {
    this.#remove(key);
  }

  /** Reads the live entries of Redis into the index (once at a time). */
  rebuild(): Promise<void> {
    this.#rebuilding ??= this.#rebuildFromShared()
      .catch((error: unknown) =>
        this.#logger.warn({ msg: 'Rebuilding the goal index from Redis failed', err: (error as Error).message }),
      )
      .finally(() => (this.#rebuilding = undefined));
    return this.#rebuilding;
  }

  async #rebuildFromShared(): Promise<void> {
    const keys = await this.plans.sharedKeys(REBUILD_MAX);
    for (let i = 0; i < keys.length; i += REBUILD_BATCH) await this.#readFromShared(keys.slice(i, i + REBUILD_BATCH));
    if (keys.length > 0) this.#logger.log(`Indexed ${this.#index.size} cached goals from Redis`);
  }

  async #readFromShared(keys: readonly string[]): Promise<void> {
    const entries = await Promise.all(keys.map((key) => this.plans.readShared(key, { keepHere: false })));
    entries.forEach((entry, i) => {
      if (entry) this.add(keys[i], entry);
    });
  }

  #bucketOf(scope: string | undefined, contextHash: string): BucketOf {
    return { scope, contextHash, model: this.goalEmbeddings.model };
  }

  #remove(key: string): void {
    this.#index.remove(key);
    this.#until.delete(key);
  }

  #prune(now = Date.now()): void {
    const shared = this.plans.redisEnabled;
    for (const [key, until] of this.#until) {
      if (until <= now || (!shared && this.plans.peek(key) === undefined)) this.#remove(key);
    }
  }
}
