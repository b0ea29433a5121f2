import { gapLadder } from './hot-paths/ladder.js';
import { primaryRuntime, runtimeComparison } from './hot-paths/runtimes.js';

/** The hot-path sections alone, printed as JSON (npm run bench runs them into docs/load.md). */
const only = process.argv[2];
const results = {
  ladder: !only || only === 'ladder' ? await gapLadder(primaryRuntime()) : undefined,
  runtimes: !only || only === 'runtimes' ? await runtimeComparison() : undefined,
};
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
