import { CORES_NOTE } from '../support/cores.js';
import type { HitParticipant, RuntimeHits } from '../hot-paths/hits.js';
import type { HitPathsResult } from '../hot-paths/index.js';
import type { BothRatios, ClientRun } from '../support/both-clients.js';
import { SATURATED } from '../support/server-cpu.js';
import type { TargetResult } from '../support/results.js';
import { WRK_MISSING } from '../support/wrk.js';
import { table } from './table.js';
import { targetsTable } from './targets-table.js';

const PARTICIPANTS: [HitParticipant, string][] = [
  ['list', 'cached GET /api/plans (the seeded list)'],
  ['nodeList', 'node:http, the same list bytes'],
  ['stockFastify', 'stock NestJS + Fastify + CacheInterceptor, the same list'],
  ['stockExpress', 'stock NestJS + Express + CacheInterceptor, the same list'],
  ['shippedList', 'cached GET /api/plans, Redis + JWT + CORS, with a JWT and an allowed Origin'],
  ['nodeListAsServed', "node:http, the plain list's bytes and headers"],
  ['nodeShippedList', "node:http, the shipped list's bytes and headers (CORS), with a JWT and an allowed Origin"],
  ['plan', 'cached POST /api/chat/plan'],
  ['nodePlan', 'node:http, the same plan bytes'],
  ['shippedPlan', 'cached POST /api/chat/plan, Redis + JWT + CORS, with a JWT and an allowed Origin'],
  ['stream', 'SSE replay of a cached plan (GET /api/chat/stream)'],
  ['nodeStream', 'node:http, the same stream bytes'],
];

const RATIOS: [keyof RuntimeHits['ratios'], string][] = [
  ['listOverStockFastify', 'list / stock NestJS + Fastify (target ≥ 1.5)'],
  ['listOverStockExpress', 'list / stock NestJS + Express'],
  ['listOverNodeHttp', 'list / node:http (target ≥ 0.65)'],
  ['planOverNodeHttp', 'plan / node:http (target ≥ 0.50)'],
  ['streamOverNodeHttp', 'SSE replay / node:http (target ≥ 0.50)'],
  ['shippedListOverList', 'list, Redis + JWT + CORS / plain (target ≥ 0.90)'],
  ['shippedPlanOverPlan', 'plan, Redis + JWT + CORS / plain (target ≥ 0.90)'],
  ['nodeShippedOverNodeAsServed', "node:http's own floor for the two above: shipped list bytes / plain list bytes"],
  ['listP99OverNodeHttp', 'list p99 / node:http p99 (target ≤ 2)'],
];

/** `12345 · 3.1 ms · 97 %`, the CPU share flagged when the server was not the bottleneck. */
const cell = (run: ClientRun | undefined) => {
  if (!run) return '—';
  const cpu = `${Math.round(run.cpu * 100)} %${run.cpu < SATURATED ? ' ⚠' : ''}`;
  const failures = run.errors + run.non2xx ? `, **${run.errors + run.non2xx} failed**` : '';
  return `${run.rps} · ${run.p99} ms · ${cpu}${failures}`;
};

const ratioCells = (r: BothRatios) => [r.autocannon, r.wrk ?? '—', `**${r.median}**${r.saturated ? '' : ' ⚠'}`];

function runtimeTables(hits: RuntimeHits): string[] {
  return [
    `### ${hits.runtime}`,
    '',
    ...table(
      ['participant', 'autocannon: req/s · p99 · server CPU', 'wrk: req/s · p99 · server CPU'],
      ['---', '---:', '---:'],
      PARTICIPANTS.map(([name, label]) => [label, cell(hits.measured[name].autocannon), cell(hits.measured[name].wrk)]),
    ),
    ...table(
      ['ratio', 'autocannon', 'wrk', 'judged (median of both)'],
      ['---', '---:', '---:', '---:'],
      RATIOS.map(([name, label]) => [label, ...ratioCells(hits.ratios[name])]),
    ),
  ];
}

function memoryTables({ memory }: HitPathsResult): string[] {
  return [
    '## Memory',
    '',
    'RSS of the service as `npm start` runs it after a request of each kind (list, plan, stream) and 5 s',
    'idle; its first start creates the data directory (initdb runs in a process of its own), the restart opens it.',
    '',
    ...table(
      ['set-up', 'runtime', 'first start', 'restart'],
      ['---', '---', '---:', '---:'],
      memory.idle.map((idle) => [idle.setup, idle.runtime, `${idle.first_start_mb} MB`, `${idle.restart_mb} MB`]),
    ),
    ...table(
      ['runtime', 'RSS added by 10,000 cached 2 KB plans', 'live heap they take'],
      ['---', '---:', '---:'],
      memory.plans.map((plans) => [plans.runtime, `${plans.rss_mb} MB`, `${plans.heap_mb} MB`]),
    ),
    'The plans are measured against a process that cached the same plans and cleared them, so both',
    "grew their young generation alike; the target is judged on the larger figure, since Node 20's V8",
    'keeps the pages a collection freed and the RSS difference then understates what the plans hold.',
    '',
  ];
}

/**
 * docs/load-hot-paths.md: the issue-29 table and its targets, written by `npm run bench:hot-paths`
 * and by `npm run bench` (whichever ran last).
 */
export function hitPathsDocument(
  h: HitPathsResult,
  targets: TargetResult[],
  machine: Record<string, string>,
  writer: string,
): string {
  const { method } = h;
  return [
    '# Hot paths: cached answers against their peers (issue 29)',
    '',
    `Written by \`${writer}\`; every number below was measured by the run that wrote this file.`,
    '`npm run bench` also writes [load.md](load.md), with the gap ladder and the CPU profiles.',
    '',
    '## Method',
    '',
    ...table(['', ''], ['---', '---'], Object.entries(machine)),
    `- Runtimes: ${method.runtimes.join(' and ')}; every participant of every runtime measured in turns in one comparison.`,
    `- Two clients, ${method.connections} connections, loopback, keep-alive: autocannon (in the bench process) and`,
    `  wrk (\`wrk -t1 -c${method.connections} -d${method.seconds}s\`, one thread).`,
    `- Cores: ${CORES_NOTE}.`,
    method.wrk ? '  wrk comes from Debian: `apt-get install wrk`.' : `  **${WRK_MISSING}.**`,
    `- ${method.rounds} round${method.rounds === 1 ? '' : 's'} of ${method.seconds} s per client; the median round of each client counts. A ratio is taken`,
    "  per client; a target is judged on the median of both clients' ratios (with two clients, their mean).",
    ...(method.rounds < 3 ? ['  **Fewer than 3 rounds: a quick look, not a judgement.**'] : []),
    "- **Server CPU**: the server process's utime + stime from /proc/<pid>/stat before and after each run, over",
    `  the run's wall time, in % of one core. A ratio counts only while both servers are saturated: runs under`,
    `  ${Math.round(SATURATED * 100)} % are flagged ⚠ (the client, not the server, was the limit), and so are the targets resting on them.`,
    '- Latencies: autocannon records whole milliseconds, wrk microseconds.',
    '',
    '## Targets',
    '',
    ...targetsTable(targets),
    '## Cached answers',
    '',
    ...h.hits.flatMap(runtimeTables),
    ...memoryTables(h),
    '## Reproduce',
    '',
    '```sh',
    'npm run bench:hot-paths                             # this file: the hit table and its targets, both runtimes',
    'BENCH_SECONDS=2 BENCH_ROUNDS=1 npm run bench:hot-paths   # a quick look (not a judgement)',
    'npm run bench                                       # everything, docs/load.md too',
    '```',
    '',
    'Needs `redis-server` and `wrk` on PATH (`apt-get install redis-server wrk`); Node 24 from `BENCH_NODE24`,',
    'else `~/.cache/plan-cache-ci/node24/bin/node`.',
    '',
  ].join('\n');
}
