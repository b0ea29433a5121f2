import { throughputScenarios } from './throughput.js';

const scenarios = await throughputScenarios();
for (const scenario of scenarios) {
  process.stdout.write(
    `${scenario.name.padEnd(50)} ${String(scenario.load.rps).padStart(7)} rps  p50 ${scenario.load.p50} p99 ${scenario.load.p99} err ${scenario.load.errors} non2xx ${scenario.load.non2xx} ${JSON.stringify(scenario.ratios)} ${JSON.stringify(scenario.notes ?? {})}\n`,
  );
}
