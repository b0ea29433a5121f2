import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder of the service's package.json, found from this file whether it runs from src/ (tests),
 * dist/ (the build) or dist-bench/ (the benchmarks).
 */
export const PACKAGE_ROOT = ((): string => {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${import.meta.dirname}`);
    dir = parent;
  }
  return dir;
})();
