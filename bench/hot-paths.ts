import { callersCost } from './hot-paths/callers-cost.js';
import { gapLadder } from './hot-paths/ladder.js';
import { primaryRuntime, runtimeComparison } from './hot-paths/runtimes.js';
import { redisComparison } from './hot-paths/with-redis.js';

/** The hot-path sections alone, printed as JSON (npm run bench runs them into docs/load.md). */
const only = process.argv[2];
const wanted = (name: string) => only === undefined || only === name;
const results = {
  ladder: wanted('ladder') ? await gapLadder(primaryRuntime()) : undefined,
  runtimes: wanted('runtimes') ? await runtimeComparison() : undefined,
  redis: wanted('redis') ? await redisComparison(primaryRuntime()) : undefined,
  callers: wanted('callers') ? await callersCost(primaryRuntime()) : undefined,
};
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
