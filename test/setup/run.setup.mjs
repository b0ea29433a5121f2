import process from 'node:process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createPgliteTemplate from './pglite-template.setup.mjs';

/**
 * Once per run, before any worker starts: TEST_RUN_DIR, a directory the parallel workers share for
 * what must happen once per run (test/support/service-process.ts builds the service there once),
 * and the embedded database template.
 */
export default async function setUpRun() {
  process.env.TEST_RUN_DIR = mkdtempSync(join(tmpdir(), 'plan-cache-test-run-'));
  await createPgliteTemplate();
}
