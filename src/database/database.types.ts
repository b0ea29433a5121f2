import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { schema } from './schema.js';

/** Drizzle over either driver: PGlite and node-postgres share the PostgreSQL dialect and every query. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Injection token of the {@link Database}. */
export const DATABASE = Symbol('DATABASE');

export interface DatabaseConnection {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Database;
  /**
   * Applies pending migrations and, with `seed`, puts the sample plans into an empty database;
   * safe when several instances start at once.
   */
  prepare(options: PrepareOptions): Promise<void>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface PrepareOptions {
  /** DATABASE_SEED: sample plans for an empty database (development only by default). */
  seed: boolean;
}
