import type { MicroResult } from '../micro.js';
import type { ScenarioResult, StressResult, TargetResult } from '../support/results.js';
import { SIMULATION, type SimulationRun } from '../simulation/early-refresh.js';
import type { HotPathsResult } from '../hot-paths/index.js';
import { hotPathSections, profileSections } from './hot-paths-markdown.js';
import { table } from './table.js';
import { targetsTable } from './targets-table.js';

export interface ReportInput {
  machine: Record<string, string>;
  scenarios: ScenarioResult[];
  targets: TargetResult[];
  stress: StressResult[];
  micro: MicroResult;
  earlyRefresh: SimulationRun[];
  hotPaths: HotPathsResult;
  seconds: number;
  rounds: number;
  connections: number;
}

function ratios(scenario: ScenarioResult): string {
  const entries = Object.entries(scenario.ratios).map(([over, value]) => `${value} × ${over}`);
  const notes = Object.entries(scenario.notes ?? {}).map(([name, value]) => `${name} ${value}`);
  return [...entries, ...notes].join(', ') || '—';
}

/** docs/load.md: every figure comes from the run that writes it. */
export function renderMarkdown(input: ReportInput): string {
  return [
    '# Load and performance report',
    '',
    'Written by `npm run bench` (bench/run.ts); every number below was measured by the run that',
    'wrote this file. Do not edit by hand: run the bench again.',
    '',
    '## Machine and method',
    '',
    ...table(['', ''], ['---', '---'], Object.entries(input.machine)),
    `- Load of the scenarios below: autocannon in the bench process, ${input.connections} connections, loopback, HTTP/1.1`,
    '  keep-alive, no pipelining. The hot paths (issue 29) are measured at 50 connections by autocannon and wrk.',
    `- Every comparison starts its participants side by side and measures them in turns, ${input.rounds} rounds`,
    `  of ${input.seconds} s each after a 1 s warm-up; the median round counts. A shared VM speeds up and`,
    '  slows down during a run: taking turns makes that weigh on every participant alike, so the',
    '  ratios are steadier than the absolute figures.',
    '- Baselines started by the bench itself: `bench/peers/node-http.ts` (bare node:http answering the',
    '  bytes the service answers, with the same headers), `bench/peers/bare-fastify.ts` (bare Fastify, the',
    "  service's HTTP layer without NestJS, answering the same bytes to the GET and to the POST) and",
    '  `bench/peers/stock-nest-cache.ts` (NestJS on Express, `CacheModule.register()` and the stock',
    '  `CacheInterceptor`, serving the same list).',
    '- The service runs as `npm start` builds it, `NODE_ENV=production`, embedded PGlite, builtin planner',
    '  (50 ms per generation, every plan kept) unless a scenario says otherwise.',
    '',
    '## Targets',
    '',
    'The hot-path targets (issue 29) are judged on the median of two clients, autocannon and wrk, at 50',
    'connections, on every runtime: [load-hot-paths.md](load-hot-paths.md) has their figures.',
    '',
    ...targetsTable(input.targets),
    '## Reading the results',
    '',
    '- **The client shares the machine.** The client takes one of the two cores, so what node:http reaches may be',
    "  partly the client's own limit: the hot-path tables give the server's CPU share of each run and flag runs",
    '  under 90 %, whose ratios say more about the client than about the server.',
    '- **Cached answers** (lists, plans, streams) come from the first `onRequest` hooks (docs/decisions.md,',
    '  "Cached answers skip NestJS\'s request pipeline"), as bytes prepared when the entry was cached, in one',
    '  `writev` with their headers, as node:http and bare Fastify do. The gap ladder below locates what each',
    "  piece costs on top of bare Fastify; every piece measured costs a few per cent, Node's own header",
    '  handling grows with the number of headers (the service sends ETag, Cache-Control, X-Request-Id,',
    '  and nosniff besides what the node:http peer sends), and the rest is the kernel sending on loopback.',
    '- **`writev` in the profiles** is the kernel delivering the answer to the client on loopback, inside the',
    '  system call (TCP send, the receive path of the other socket, waking the client): the same per answer',
    '  for node:http; it weighs more in the service only because the rest of its work is larger. Answers are',
    '  written once (no `flushHeaders`, no chunked encoding: every cached answer has a length).',
    "- **Cached POST** answers read the JSON body in the first hook (and hand it to Fastify's parser when the",
    "  cache cannot answer): beyond a GET they cost the body's read and parse, the caller and the policy.",
    '  The task-plan key of a recent request is remembered instead of being normalized and hashed again.',
    '- **The cost of a hit** in process is a `Map` lookup and an index move in typed arrays (lru-cache): constant',
    '  in the number of entries. The growth measured from 100 to 100,000 entries comes from memory: the larger',
    '  the cache, the fewer of its entries stay in the CPU caches and TLB; with 4,096 keys spread over the',
    '  cache this dominates. Compared with a request, either figure is negligible.',
    '- **Metrics** cost one histogram observation per request on a label child kept in a map; the cache',
    '  counters and the savings are read at scrape time.',
    '',
    '## Scenarios',
    '',
    ...table(
      ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'ratios and notes'],
      ['---', '---:', '---:', '---:', '---:', '---:', '---'],
      input.scenarios.map((scenario) => [
        scenario.name,
        scenario.load.rps,
        scenario.load.p50,
        scenario.load.p99,
        scenario.load.errors,
        scenario.load.non2xx,
        ratios(scenario),
      ]),
    ),
    '![Requests per second of every scenario](load.png)',
    '',
    '## In-process cache',
    '',
    ...table(
      ['entries', 'ns per hit, 100 hot keys', 'ns per hit, 4,096 keys'],
      ['---:', '---:', '---:'],
      input.micro.hit_cost.map((cost) => [cost.entries, cost.ns_per_hit, cost.ns_per_hit_4096_keys]),
    ),
    `Measured on ${input.machine.node}; the layouts compared and the memory of cached plans are under "Hot paths".`,
    '',
    ...hotPathSections(input.hotPaths),
    '## Early refresh of hot task plans (simulated)',
    '',
    `The service's own task-plan path (TaskPlanService, the cache, the builtin planner taking ${SIMULATION.plannerLatencyMs / 1000} s)`,
    `under a Zipf workload (s = ${SIMULATION.zipfExponent}) of ${SIMULATION.goals.toLocaleString('en')} goals at ${SIMULATION.requestsPerSecond} requests/s (Poisson) for`,
    `${SIMULATION.simulatedSeconds / 60} minutes of simulated time, on a faked clock: both runs see the same requests at the same`,
    `instants. Plans live ${SIMULATION.ttlSeconds} s; a plan is hot from ${SIMULATION.hotFromHits} recent hits.`,
    '',
    ...table(
      ['mode', 'requests', 'planner calls', 'hit ratio', 'waited for a generation', 'mean wait'],
      ['---', '---:', '---:', '---:', '---:', '---:'],
      input.earlyRefresh.map((run) => [
        run.mode,
        run.requests,
        run.plannerCalls,
        `${(run.hitRatio * 100).toFixed(1)} %`,
        `${(run.waitedShare * 100).toFixed(1)} %`,
        `${Math.round(run.meanWaitMs)} ms`,
      ]),
    ),
    'Early refresh trades a few more planner calls (hot plans regenerated before they expire) for',
    'fewer readers waiting; the cold tail of the workload still waits, as it should.',
    '',
    '## Stress and faults',
    '',
    'How long a fault takes to get over is judged here, not in the tests (they check what happens and in',
    'which order): the worst latency while Redis is away, how soon a survivor takes over from a killed',
    'lock holder, how soon stalled and idle clients are closed (`bench/stress/`; `npm run bench:stress`',
    'runs them alone).',
    '',
    ...table(
      ['scenario', 'outcome', 'passed'],
      ['---', '---', '---'],
      input.stress.map((stress) => [stress.name, stress.outcome, stress.passed ? 'yes' : '**no**']),
    ),
    ...profileSections(input.hotPaths.profiles),
    '## Semantic matching',
    '',
    'Match quality on the labelled set, planner calls saved on a Zipf workload of phrasings, and the goal',
    "index's latency and memory: [load-semantic.md](load-semantic.md), written by `npm run bench:semantic`.",
    'Traces: [load-tracing.md](load-tracing.md), written by `npm run bench:tracing`.',
    '',
    '## Reproduce',
    '',
    '```sh',
    'npm ci',
    'TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench   # redis-server on PATH',
    'BENCH_SECONDS=5 BENCH_ROUNDS=5 npm run bench                                  # longer, steadier runs',
    'npm run bench:hot-paths                # the issue-29 hit table and targets alone: docs/load-hot-paths.md',
    'npm run bench:stress                   # the stress and fault scenarios alone, printed',
    '```',
    '',
    'The stress scenarios need `redis-server` on PATH and a PostgreSQL server where the bench may',
    'create and drop its own database (`TEST_DATABASE_URL`), as the test suites do. Node 24 for the side-by-side',
    'runs is taken from `BENCH_NODE24`, else from where `.ci/run` keeps it (`~/.cache/plan-cache-ci/node24`).',
    '',
  ].join('\n');
}
