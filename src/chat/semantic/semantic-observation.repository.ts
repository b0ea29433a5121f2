import { Inject, Injectable } from '@nestjs/common';
import { and, asc, count, desc, eq, gt, lte, ne, sql, type SQL } from 'drizzle-orm';
import {
  queryOrUnavailable,
  DATABASE,
  type Database,
  semanticObservations,
  type SemanticObservationRow,
} from '../../database/index.js';
import type { Observation } from './learned-threshold.js';

export type ObservationOrigin = 'verification' | 'near_miss' | 'feedback';
/** The service's own checks of a semantic hit. */
export type CheckOrigin = Exclude<ObservationOrigin, 'feedback'>;

/** Who gave a piece of feedback, and about which goal, as digests. */
export interface FeedbackVote {
  voter: string;
  goalHash: string;
}

/** How many rows of an entry are kept: the most recent checks, and the most recent feedback. */
export interface KeptObservations {
  checks: number;
  feedback: number;
  /** Feedback rows one voter may have on one entry. */
  perVoter: number;
}

export type FeedbackOutcome = SemanticObservationRow | 'duplicate' | 'voter_limit';

const TABLE = 'semantic_observations';
const { entryKey, id, origin: originColumn, voter } = semanticObservations;

/**
 * Every query on semantic observations: the durable, shared record of checked semantic hits and of
 * clients' feedback, kept bounded per entry. An unreachable database answers 503
 * (DatabaseUnavailableError).
 */
@Injectable()
export class SemanticObservationRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** A check (verification or near miss), then the entry's checks beyond the most recent `kept` dropped. */
  async add(
    key: string,
    observation: Observation,
    origin: CheckOrigin,
    kept: number,
    model: string,
  ): Promise<SemanticObservationRow> {
    const [row] = await queryOrUnavailable(
      () =>
        this.db
          .insert(semanticObservations)
          .values({ entryKey: key, similarity: observation.similarity, wrong: observation.wrong, origin, model })
          .returning(),
      'INSERT',
      TABLE,
    );
    await this.#prune(and(eq(entryKey, key), ne(originColumn, 'feedback'))!, kept);
    return row;
  }

  /**
   * A client's feedback, once per voter, entry and goal and at most `kept.perVoter` per voter and
   * entry (one transaction, serialized per voter and entry); then the entry's feedback beyond the
   * most recent `kept.feedback` dropped.
   */
  async addFeedback(
    key: string,
    observation: Observation,
    vote: FeedbackVote,
    kept: KeptObservations,
    model: string,
  ): Promise<FeedbackOutcome> {
    const outcome = await queryOrUnavailable(
      () =>
        this.db.transaction(async (tx): Promise<FeedbackOutcome> => {
          await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${key}|${vote.voter}`}))`);
          const [given] = await tx
            .select({ n: count() })
            .from(semanticObservations)
            .where(and(eq(entryKey, key), eq(voter, vote.voter)));
          if (given.n >= kept.perVoter) return 'voter_limit';
          const [row] = await tx
            .insert(semanticObservations)
            .values({
              entryKey: key,
              similarity: observation.similarity,
              wrong: observation.wrong,
              origin: 'feedback',
              voter: vote.voter,
              goalHash: vote.goalHash,
              model,
            })
            .onConflictDoNothing()
            .returning();
          return row ?? 'duplicate';
        }),
      'INSERT',
      TABLE,
    );
    // By origin, as memory splits them (EntryThresholds): feedback rows from before voters were
    // recorded are feedback too, bounded with the rest.
    if (typeof outcome !== 'string') {
      await this.#prune(and(eq(entryKey, key), eq(originColumn, 'feedback'))!, kept.feedback);
    }
    return outcome;
  }

  /** Observations with an id above `afterId`, oldest first, at most `limit`. */
  after(afterId: number, limit: number): Promise<SemanticObservationRow[]> {
    return queryOrUnavailable(
      () => this.db.select().from(semanticObservations).where(gt(id, afterId)).orderBy(asc(id)).limit(limit),
      'SELECT',
      TABLE,
    );
  }

  /** Deletes the rows matching `where` but the most recent `kept`. */
  async #prune(where: SQL, kept: number): Promise<void> {
    await queryOrUnavailable(
      async () => {
        const [oldest] = await this.db
          .select({ id })
          .from(semanticObservations)
          .where(where)
          .orderBy(desc(id))
          .offset(kept)
          .limit(1);
        if (oldest) await this.db.delete(semanticObservations).where(and(where, lte(id, oldest.id)));
      },
      'DELETE',
      TABLE,
    );
  }
}
