import { hitPaths } from './hot-paths/index.js';
import { hitPathTargets } from './hot-paths/targets.js';
import { writeHitPaths } from './report/write-docs.js';

/** The issue-29 hit table and its targets on every runtime: writes docs/load-hot-paths.md. */
const result = await hitPaths();
const targets = hitPathTargets(result);
await writeHitPaths(result, targets, 'npm run bench:hot-paths');
for (const target of targets) {
  const flag = target.unsaturated ? ` (server under 90 % CPU: ${target.unsaturated.join(', ')})` : '';
  process.stdout.write(`target ${target.met ? 'met   ' : 'MISSED'} ${target.target}: ${target.measured}${flag}\n`);
}
process.stdout.write('wrote docs/load-hot-paths.md\n');
