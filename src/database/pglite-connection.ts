import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { PACKAGE_ROOT } from '../common/index.js';
import type { Database, DatabaseConnection, PrepareOptions } from './database.types.js';
import { MIGRATIONS_FOLDER } from './migrations-folder.js';
import { schema } from './schema.js';
import { seedEmptyDatabase } from './seed.js';

/**
 * PostgreSQL's own defaults size shared buffers for a server (PGlite starts with 160 MB); a
 * cache's metadata store of a few thousand rows lives in far less (docs/decisions.md, "Memory of
 * the embedded database").
 */
function startParams(sharedBuffersMb: number): string[] {
  return [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffersMb}MB`];
}

/**
 * initdb in a short-lived process: PGlite's first start keeps the initdb module's memory (about
 * 500 MB of RSS) for the life of the process that ran it; a process that opens an existing
 * directory does not pay it.
 */
const INITDB_SCRIPT = `
import { PGlite } from '@electric-sql/pglite';
const [dataDir, startParams] = JSON.parse(process.argv[1]);
const database = await PGlite.create(dataDir, { startParams });
await database.close();
`;

async function initializeDataDir(dataDir: string, params: string[]): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '--eval', INITDB_SCRIPT, JSON.stringify([dataDir, params])],
    { cwd: PACKAGE_ROOT },
  );
}

/** Embedded PostgreSQL (WASM) in a directory; one process owns the directory. */
export class PgliteConnection implements DatabaseConnection {
  readonly kind = 'pglite';
  readonly db: Database;

  private constructor(private readonly client: PGlite) {
    this.db = drizzle(client, { schema });
  }

  static async open(dataDir: string, { sharedBuffersMb }: { sharedBuffersMb: number }): Promise<PgliteConnection> {
    mkdirSync(dataDir, { recursive: true });
    const params = startParams(sharedBuffersMb);
    await initializeDataDir(dataDir, params);
    return new PgliteConnection(await PGlite.create(dataDir, { startParams: params }));
  }

  async prepare({ seed }: PrepareOptions): Promise<void> {
    await migrate(this.db as Parameters<typeof migrate>[0], { migrationsFolder: MIGRATIONS_FOLDER });
    if (seed) await seedEmptyDatabase(this.db);
  }

  async ping(): Promise<void> {
    await this.db.execute(sql`select 1`);
  }

  async close(): Promise<void> {
    if (!this.client.closed) await this.client.close();
  }
}
