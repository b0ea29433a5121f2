import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hotPaths } from './hot-paths/index.js';
import { hitPathTargets } from './hot-paths/targets.js';
import { microBenchmarks } from './micro.js';
import { renderChart } from './report/chart.js';
import { renderMarkdown } from './report/markdown.js';
import { DOCS, machine as thisMachine, writeFormatted, writeHitPaths } from './report/write-docs.js';
import { stressScenarios } from './stress/index.js';
import { CONNECTIONS, ROUNDS, SECONDS } from './support/load.js';
import type { StressResult } from './support/results.js';
import { judgeTargets } from './targets.js';
import { throughputScenarios } from './throughput.js';
import { simulateEarlyRefresh, SIMULATION } from './simulation/early-refresh.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function stress(): Promise<StressResult[]> {
  const results: StressResult[] = [];
  for (const scenario of stressScenarios) {
    // A scenario that cannot run is a failed scenario, not a lost run: the report still gets written.
    const result = await scenario().catch((error: unknown): StressResult => ({
      name: scenario.name,
      outcome: `could not run: ${(error as Error).message}`,
      passed: false,
    }));
    say(`stress: ${result.name}: ${result.outcome} (${result.passed ? 'passed' : 'FAILED'})`);
    results.push(result);
  }
  return results;
}

say('micro benchmarks of the in-process tier');
const micro = microBenchmarks();
say('throughput scenarios');
const scenarios = await throughputScenarios();
for (const scenario of scenarios) say(`${scenario.name}: ${scenario.load.rps} rps ${JSON.stringify(scenario.ratios)}`);
const hot = await hotPaths();
say('early refresh, simulated');
const earlyRefresh = [await simulateEarlyRefresh(0), await simulateEarlyRefresh(SIMULATION.earlyRefresh)];
for (const run of earlyRefresh) say(`${run.mode}: ${JSON.stringify(run)}`);
say('stress scenarios');
const stressed = await stress();
const targets = judgeTargets(scenarios, micro, hot);

const machine = thisMachine();
const results = {
  machine,
  scenarios,
  targets,
  stress: stressed,
  micro,
  earlyRefresh,
  hotPaths: hot,
};
const markdown = renderMarkdown({ ...results, seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS });
await writeFormatted('load.md', markdown);
await writeHitPaths(hot, hitPathTargets(hot), 'npm run bench');
writeFileSync(join(DOCS, 'load.png'), renderChart(scenarios, 'Requests per second by scenario (grey: baselines)'));
await writeFormatted('load.json', JSON.stringify(results));
for (const target of targets) {
  const flag = target.unsaturated ? ` (server under 90 % CPU: ${target.unsaturated.join(', ')})` : '';
  say(`target ${target.met ? 'met   ' : 'MISSED'} ${target.target}: ${target.measured}${flag}`);
}
say('wrote docs/load.md, docs/load-hot-paths.md, docs/load.png and docs/load.json');
