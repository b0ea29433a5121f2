import process from 'node:process';
import { rmSync } from 'node:fs';
import removePgliteTemplate from './pglite-template.teardown.mjs';

export default function tearDownRun() {
  removePgliteTemplate();
  const dir = process.env.TEST_RUN_DIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
