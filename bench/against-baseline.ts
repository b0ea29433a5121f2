import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { compare, ROUNDS, SECONDS, type LoadOptions, type LoadResult } from './support/load.js';
import { startService, type Running } from './support/processes.js';

/**
 * This build's hot paths against another build's, side by side in turns (the median of the
 * rounds): a cached list, a cached plan (JSON), a cached plan streamed. The other build is
 * BENCH_BASELINE_SCRIPT (the main.js of a worktree of the commit to compare with). Writes
 * docs/load-baseline.md.
 */
const baselineScript = process.env.BENCH_BASELINE_SCRIPT;
if (!baselineScript) throw new Error('Set BENCH_BASELINE_SCRIPT to the dist/main.js of the build to compare with');
/** How the report names the baseline, e.g. its commit; its script otherwise. */
const baselineLabel = process.env.BENCH_BASELINE_LABEL ?? baselineScript;
const DOCS = join(import.meta.dirname, '..', '..', 'docs');
const SETTINGS = { PLANNER_BUILTIN_DELAY_MS: '50', PLAN_CACHE_MIN_GEN_TIME: '0', WEB_CONSOLE_ENABLED: 'false' };
const GOAL = { goal: 'Launch a billing dashboard for hotspot operators' };
const say = (line: string) => process.stdout.write(`${line}\n`);

const paths: Record<string, (service: Running) => LoadOptions> = {
  'cached GET /api/plans': (service) => ({ url: `${service.url}/api/plans` }),
  'cached POST /api/chat/plan': (service) => ({
    url: `${service.url}/api/chat/plan`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(GOAL),
  }),
  'cached GET /api/chat/stream': (service) => ({
    url: `${service.url}/api/chat/stream?goal=${encodeURIComponent(GOAL.goal)}`,
  }),
};

async function warm(service: Running): Promise<void> {
  for (const options of Object.values(paths).map((path) => path(service))) {
    const response = await fetch(options.url, { method: options.method, headers: options.headers, body: options.body });
    await response.text();
    if (!response.ok) throw new Error(`warming ${options.url}: ${response.status}`);
  }
}

const current = await startService(SETTINGS);
const baseline = await startService(SETTINGS, [], baselineScript);
const rows: { path: string; current: LoadResult; baseline: LoadResult }[] = [];
try {
  await Promise.all([warm(current), warm(baseline)]);
  for (const [path, options] of Object.entries(paths)) {
    const results = await compare({ current: options(current), baseline: options(baseline) });
    rows.push({ path, ...results });
    say(`${path}: ${results.current.rps} rps against ${results.baseline.rps} (${ratio(results)})`);
  }
} finally {
  await Promise.all([current.stop(), baseline.stop()]);
}

function ratio({ current, baseline }: { current: LoadResult; baseline: LoadResult }): string {
  return (current.rps / baseline.rps).toFixed(3);
}

const table = [
  '| path | this build, req/s | baseline, req/s | ratio | p99 ms (this / baseline) | errors |',
  '| --- | --: | --: | --: | --: | --: |',
  ...rows.map(
    (row) =>
      `| ${row.path} | ${row.current.rps} | ${row.baseline.rps} | ${ratio(row)} | ${row.current.p99} / ${row.baseline.p99} | ${row.current.errors + row.baseline.errors} |`,
  ),
];
const markdown = [
  '# This build against a baseline build',
  '',
  `Written by \`npm run bench:baseline\` (bench/against-baseline.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}: ` +
    `each path of both builds in turns, ${ROUNDS} rounds of ${SECONDS} s, the median round; ` +
    `baseline: ${baselineLabel}. Ratios above 1: this build is faster. The machine's noise is about ±15 %.`,
  '',
  ...table,
  '',
].join('\n');
const file = join(DOCS, 'load-baseline.md');
writeFileSync(file, await format(markdown, { ...(await resolveConfig(file)), filepath: file }));
say(`written ${file}`);
