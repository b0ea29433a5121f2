import { stressScenarios } from './stress/index.js';

/**
 * The stress scenarios alone (`npm run bench:stress`, or `npm run bench:stress -- lockHolderCrash`
 * for those whose function is named), printed; `npm run bench` puts them in docs/load.md.
 */
const only = process.argv.slice(2);
let failed = 0;
for (const scenario of stressScenarios) {
  if (only.length > 0 && !only.includes(scenario.name)) continue;
  const result = await scenario();
  if (!result.passed) failed++;
  process.stdout.write(`${result.passed ? 'passed' : 'FAILED'}: ${result.name}: ${result.outcome}\n`);
}
process.exitCode = failed === 0 ? 0 : 1;
