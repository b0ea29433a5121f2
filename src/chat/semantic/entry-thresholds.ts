import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import { readCalibration } from './calibration/semantic-calibration.js';
import { GoalEmbeddings } from './goal-embeddings.js';
import type { SemanticObservationRow } from '../../database/index.js';
import {
  entryThreshold,
  type FeedbackObservation,
  type Observation,
  type ThresholdSettings,
} from './learned-threshold.js';
import {
  SemanticObservationRepository,
  type FeedbackOutcome,
  type FeedbackVote,
  type KeptObservations,
  type CheckOrigin,
} from './semantic-observation.repository.js';

/** How often the observations other instances recorded are read. */
const POLL_EVERY_MS = 2_000;
const PAGE = 5_000;
/**
 * Ids are taken in one order and committed in another: each poll looks back this far and skips
 * the ids it has seen, so that a late commit is not lost.
 */
const LOOK_BACK_IDS = 1_000;
/**
 * Observations kept per entry, the most recent, here and in the database: checks enough for
 * δ = 0.001; feedback enough to raise a threshold, bounded whoever sends it; and per voter a few
 * (different goals), so that no caller outvotes the others.
 */
const KEPT: KeptObservations = { checks: 5_000, feedback: 100, perVoter: 3 };
/** How far under the global threshold a candidate still counts as a near miss worth observing. */
const NEAR_MISS_MARGIN = 0.15;

interface EntryObservationLists {
  checked: Observation[];
  feedback: FeedbackObservation[];
}

/**
 * Each cached entry's learned similarity threshold, from the observations of every instance: kept
 * in the database (durable, shared), read at start-up and every few seconds, recorded here at once.
 */
@Injectable()
export class EntryThresholds implements OnModuleInit, OnApplicationShutdown {
  readonly #logger = new Logger('EntryThresholds');
  readonly #settings: ThresholdSettings;
  readonly #enabled: boolean;
  readonly #observations = new Map<string, EntryObservationLists>();
  readonly #thresholds = new Map<string, number>();
  readonly #seen = new Set<number>();
  #maxSeen = 0;
  #timer?: NodeJS.Timeout;
  #polling?: Promise<void>;

  readonly #calibrationFile: string;

  constructor(
    private readonly repository: SemanticObservationRepository,
    private readonly goalEmbeddings: GoalEmbeddings,
    config: AppConfig,
  ) {
    const { threshold, maxError, minObservations } = config.semantic;
    this.#settings = { global: threshold, maxError, minObservations };
    this.#enabled = config.semantic.enabled;
    this.#calibrationFile = config.semantic.calibrationFile;
  }

  async onModuleInit(): Promise<void> {
    if (!this.#enabled) return;
    this.#applyCalibration();
    await this.refresh();
    this.#timer = setInterval(() => void this.refresh(), POLL_EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.#timer);
  }

  get global(): number {
    return this.#settings.global;
  }

  /**
   * The calibration of the embedding model (npm run semantic:calibrate), when there is one made for
   * it, replaces PLAN_CACHE_SEMANTIC_THRESHOLD as the global threshold; one made for another model,
   * or under a looser error bound, is refused and said so.
   */
  #applyCalibration(): void {
    const model = this.goalEmbeddings.model;
    const reading = readCalibration(this.#calibrationFile, model, this.#settings.maxError);
    if (reading.kind === 'used') {
      this.#settings.global = reading.threshold;
      this.#logger.log(
        `Semantic threshold ${reading.threshold} from the calibration of ${model} (${reading.calibration.calibratedAt}, ${this.#calibrationFile})`,
      );
    } else if (reading.kind === 'refused') {
      this.#logger.warn(
        `Semantic calibration ${this.#calibrationFile} refused: ${reading.reason}. The global threshold ${this.#settings.global} ` +
          'applies; run `npm run semantic:calibrate` for this model',
      );
    }
  }

  /** The similarity a near-duplicate of this entry must reach. */
  thresholdOf(key: string): number {
    return this.#thresholds.get(key) ?? this.#settings.global;
  }

  /** Near misses are observed from this similarity up; under it a goal is no entry's candidate (unless a threshold is lower). */
  get nearMissFloor(): number {
    return this.#settings.global - NEAR_MISS_MARGIN;
  }

  /** The least similarity at which a goal may be served this entry's plan or observed against it. */
  candidateFloorOf(key: string): number {
    return Math.min(this.thresholdOf(key), this.nearMissFloor);
  }

  observationsOf(key: string): number {
    const lists = this.#observations.get(key);
    return lists ? lists.checked.length + lists.feedback.length : 0;
  }

  /** Records a check for every instance, and applies it here at once; answers the new threshold. */
  async record(key: string, observation: Observation, origin: CheckOrigin): Promise<number> {
    const row = await this.repository.add(key, observation, origin, KEPT.checks, this.goalEmbeddings.model);
    this.#apply(row);
    return this.thresholdOf(key);
  }

  /** Records a client's feedback, unless the voter gave it already or has given its share on this entry. */
  async recordFeedback(key: string, observation: Observation, vote: FeedbackVote): Promise<FeedbackOutcome> {
    const outcome = await this.repository.addFeedback(key, observation, vote, KEPT, this.goalEmbeddings.model);
    if (typeof outcome !== 'string') this.#apply(outcome);
    return outcome;
  }

  /** Reads what other instances recorded since the last read (one read at a time). */
  refresh(): Promise<void> {
    this.#polling ??= this.#readNew().finally(() => (this.#polling = undefined));
    return this.#polling;
  }

  async #readNew(): Promise<void> {
    try {
      for (;;) {
        const rows = await this.repository.after(Math.max(0, this.#maxSeen - LOOK_BACK_IDS), PAGE);
        const fresh = rows.filter((row) => !this.#seen.has(row.id));
        fresh.forEach((row) => this.#apply(row));
        if (rows.length < PAGE || fresh.length === 0) break;
      }
      for (const id of this.#seen) if (id <= this.#maxSeen - 2 * LOOK_BACK_IDS) this.#seen.delete(id);
    } catch (error) {
      this.#logger.warn({
        msg: 'Reading semantic observations failed; thresholds keep their last values',
        err: (error as Error).message,
      });
    }
  }

  #apply(row: SemanticObservationRow): void {
    if (this.#seen.has(row.id)) return;
    this.#seen.add(row.id);
    this.#maxSeen = Math.max(this.#maxSeen, row.id);
    // A similarity measured in another vector space (another model, or goals read by other rules) says nothing here.
    if (row.model !== this.goalEmbeddings.model) return;
    const lists = this.#observations.get(row.entryKey) ?? { checked: [], feedback: [] };
    const observation = { similarity: row.similarity, wrong: row.wrong };
    if (row.origin === 'feedback')
      keepLast(lists.feedback, { ...observation, voter: row.voter ?? undefined }, KEPT.feedback);
    else keepLast(lists.checked, observation, KEPT.checks);
    this.#observations.set(row.entryKey, lists);
    this.#thresholds.set(row.entryKey, entryThreshold(lists, this.#settings));
  }
}

function keepLast<T>(list: T[], item: T, kept: number): void {
  list.push(item);
  if (list.length > kept) list.shift();
}
