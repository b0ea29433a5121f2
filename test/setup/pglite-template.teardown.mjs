import process from 'node:process';
import { rmSync } from 'node:fs';

export default function removePgliteTemplate() {
  const dir = process.env.TEST_PGLITE_TEMPLATE;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
