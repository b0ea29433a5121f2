import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { Database, DatabaseConnection, PrepareOptions } from './database.types.js';
import { MIGRATIONS_FOLDER } from './migrations-folder.js';
import { schema } from './schema.js';
import { seedEmptyDatabase } from './seed.js';

/** Embedded PostgreSQL (WASM) in a directory; one process owns the directory. */
export class PgliteConnection implements DatabaseConnection {
  readonly kind = 'pglite';
  readonly db: Database;
  readonly #client: PGlite;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.#client = new PGlite(dataDir);
    this.db = drizzle(this.#client, { schema });
  }

  async prepare({ seed }: PrepareOptions): Promise<void> {
    await migrate(this.db as Parameters<typeof migrate>[0], { migrationsFolder: MIGRATIONS_FOLDER });
    if (seed) await seedEmptyDatabase(this.db);
  }

  async ping(): Promise<void> {
    await this.db.execute(sql`select 1`);
  }

  async close(): Promise<void> {
    if (!this.#client.closed) await this.#client.close();
  }
}
