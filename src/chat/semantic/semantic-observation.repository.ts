import { Inject, Injectable } from '@nestjs/common';
import { asc, gt } from 'drizzle-orm';
import { queryOrUnavailable } from '../../database/database-unavailable.error.js';
import { DATABASE, type Database } from '../../database/database.types.js';
import { semanticObservations, type SemanticObservationRow } from '../../database/schema.js';
import type { Observation } from './learned-threshold.js';

export type ObservationOrigin = 'verification' | 'near_miss' | 'feedback';

/**
 * Every query on semantic observations: the durable, shared record of checked semantic hits. An
 * unreachable database answers 503 (DatabaseUnavailableError).
 */
@Injectable()
export class SemanticObservationRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async add(entryKey: string, observation: Observation, origin: ObservationOrigin): Promise<SemanticObservationRow> {
    const [row] = await queryOrUnavailable(
      () =>
        this.db
          .insert(semanticObservations)
          .values({ entryKey, similarity: observation.similarity, wrong: observation.wrong, origin })
          .returning(),
      'INSERT',
      'semantic_observations',
    );
    return row;
  }

  /** Observations with an id above `afterId`, oldest first, at most `limit`. */
  after(afterId: number, limit: number): Promise<SemanticObservationRow[]> {
    return queryOrUnavailable(
      () =>
        this.db
          .select()
          .from(semanticObservations)
          .where(gt(semanticObservations.id, afterId))
          .orderBy(asc(semanticObservations.id))
          .limit(limit),
      'SELECT',
      'semantic_observations',
    );
  }
}
