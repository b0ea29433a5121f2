import process from 'node:process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * Creating an embedded database runs initdb, about six seconds on a two-core machine, and the
 * suites start over a hundred apps: they copy one directory initialised here instead. Migrations
 * and seeding still run in each copy, and the suites that test a first start use an empty one.
 */
export default async function createPgliteTemplate() {
  const dir = mkdtempSync(join(tmpdir(), 'plan-cache-pglite-template-'));
  const database = await PGlite.create(dir);
  await database.close();
  process.env.TEST_PGLITE_TEMPLATE = dir;
}
