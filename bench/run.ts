import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { hotPaths } from './hot-paths/index.js';
import { microBenchmarks } from './micro.js';
import { renderChart } from './report/chart.js';
import { renderMarkdown } from './report/markdown.js';
import { profileUnderLoad, type ProfileSummary } from './report/profile.js';
import { stressScenarios } from './stress/index.js';
import { CONNECTIONS, ROUNDS, SECONDS } from './support/load.js';
import type { StressResult } from './support/results.js';
import { judgeTargets } from './targets.js';
import { SERVICE_SETTINGS, throughputScenarios } from './throughput.js';
import { simulateEarlyRefresh, SIMULATION } from './simulation/early-refresh.js';

const DOCS = join(import.meta.dirname, '..', '..', 'docs');
const say = (line: string) => process.stdout.write(`${line}\n`);

async function profiles(): Promise<Record<string, ProfileSummary>> {
  const plan = JSON.stringify({ goal: 'Profile the cached plan' });
  const post = (url: string) => ({
    url: `${url}/api/chat/plan`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body: plan,
  });
  return {
    'cached GET /api/plans': await profileUnderLoad(SERVICE_SETTINGS, (url) => ({ url: `${url}/api/plans` })),
    'cached POST /api/chat/plan': await profileUnderLoad(SERVICE_SETTINGS, post, (url) =>
      fetch(post(url).url, post(url)),
    ),
  };
}

async function stress(): Promise<StressResult[]> {
  const results: StressResult[] = [];
  for (const scenario of stressScenarios) {
    const result = await scenario();
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
say('profiles');
const profiled = await profiles();
say('early refresh, simulated');
const earlyRefresh = [await simulateEarlyRefresh(0), await simulateEarlyRefresh(SIMULATION.earlyRefresh)];
for (const run of earlyRefresh) say(`${run.mode}: ${JSON.stringify(run)}`);
say('stress scenarios');
const stressed = await stress();
const targets = judgeTargets(scenarios, micro, hot);

const machine = {
  CPU: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  memory: `${Math.round(totalmem() / 1024 ** 3)} GiB`,
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  date: new Date().toISOString().slice(0, 10),
};
const results = {
  machine,
  scenarios,
  targets,
  stress: stressed,
  micro,
  profiles: profiled,
  earlyRefresh,
  hotPaths: hot,
};
const markdown = renderMarkdown({ ...results, seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS });
/** Formatted as the repository's other documents are, so that `npm run lint` stays clean. */
async function writeFormatted(name: string, text: string): Promise<void> {
  const file = join(DOCS, name);
  writeFileSync(file, await format(text, { ...(await resolveConfig(file)), filepath: file }));
}

await writeFormatted('load.md', markdown);
writeFileSync(join(DOCS, 'load.png'), renderChart(scenarios, 'Requests per second by scenario (grey: baselines)'));
await writeFormatted('load.json', JSON.stringify(results));
for (const target of targets) say(`target ${target.met ? 'met   ' : 'MISSED'} ${target.target}: ${target.measured}`);
say('wrote docs/load.md, docs/load.png and docs/load.json');
