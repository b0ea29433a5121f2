import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { Pool } from 'pg';
import type { Database, DatabaseConnection, PrepareOptions } from './database.types.js';
import { MIGRATIONS_FOLDER } from './migrations-folder.js';
import { schema } from './schema.js';
import { seedEmptyDatabase } from './seed.js';

/** Any number to call our own; instances starting together queue on it. */
const MIGRATION_LOCK_ID = 7_340_221;

/** A PostgreSQL server through a node-postgres pool. */
export class PostgresConnection implements DatabaseConnection {
  readonly kind = 'postgres';
  readonly db: Database;
  readonly #pool: Pool;
  #closed = false;

  constructor(url: string) {
    this.#pool = new Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
    // An idle client losing its server must not crash the process; the next query reports it.
    this.#pool.on('error', () => undefined);
    this.db = drizzle(this.#pool, { schema });
  }

  async prepare({ seed }: PrepareOptions): Promise<void> {
    const client = await this.#pool.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
      const locked = drizzle(client, { schema });
      await migrate(locked, { migrationsFolder: MIGRATIONS_FOLDER });
      if (seed) await seedEmptyDatabase(locked);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.db.execute(sql`select 1`);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}
