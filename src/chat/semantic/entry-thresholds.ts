import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import type { SemanticObservationRow } from '../../database/schema.js';
import { learnedThreshold, type Observation, type ThresholdSettings } from './learned-threshold.js';
import { SemanticObservationRepository, type ObservationOrigin } from './semantic-observation.repository.js';

/** How often the observations other instances recorded are read. */
const POLL_EVERY_MS = 2_000;
const PAGE = 5_000;
/**
 * Ids are taken in one order and committed in another: each poll looks back this far and skips
 * the ids it has seen, so that a late commit is not lost.
 */
const LOOK_BACK_IDS = 1_000;
/** Observations kept per entry (the most recent): enough for δ = 0.001. */
const KEPT_PER_ENTRY = 5_000;

/**
 * Each cached entry's learned similarity threshold, from the observations of every instance: kept
 * in the database (durable, shared), read at start-up and every few seconds, recorded here at once.
 */
@Injectable()
export class EntryThresholds implements OnModuleInit, OnApplicationShutdown {
  readonly #logger = new Logger('EntryThresholds');
  readonly #settings: ThresholdSettings;
  readonly #enabled: boolean;
  readonly #observations = new Map<string, Observation[]>();
  readonly #thresholds = new Map<string, number>();
  readonly #seen = new Set<number>();
  #maxSeen = 0;
  #timer?: NodeJS.Timeout;
  #polling?: Promise<void>;

  constructor(
    private readonly repository: SemanticObservationRepository,
    config: AppConfig,
  ) {
    const { threshold, maxError, minObservations } = config.semantic;
    this.#settings = { global: threshold, maxError, minObservations };
    this.#enabled = config.semantic.enabled;
  }

  async onModuleInit(): Promise<void> {
    if (!this.#enabled) return;
    await this.refresh();
    this.#timer = setInterval(() => void this.refresh(), POLL_EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.#timer);
  }

  get global(): number {
    return this.#settings.global;
  }

  /** The similarity a near-duplicate of this entry must reach. */
  thresholdOf(key: string): number {
    return this.#thresholds.get(key) ?? this.#settings.global;
  }

  observationsOf(key: string): number {
    return this.#observations.get(key)?.length ?? 0;
  }

  /** Records an observation for every instance, and applies it here at once; answers the new threshold. */
  async record(key: string, observation: Observation, origin: ObservationOrigin): Promise<number> {
    const row = await this.repository.add(key, observation, origin);
    this.#apply(row);
    return this.thresholdOf(key);
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
    const list = this.#observations.get(row.entryKey) ?? [];
    list.push({ similarity: row.similarity, wrong: row.wrong });
    if (list.length > KEPT_PER_ENTRY) list.shift();
    this.#observations.set(row.entryKey, list);
    this.#thresholds.set(row.entryKey, learnedThreshold(list, this.#settings));
  }
}
