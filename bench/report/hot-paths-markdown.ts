import type { HotPathsResult } from '../hot-paths/index.js';
import type { PathResult, RuntimeResult } from '../hot-paths/runtimes.js';
import { table } from './table.js';

const PATHS: [label: string, pick: (result: RuntimeResult) => PathResult][] = [
  ['cached GET /api/plans (the seeded list)', (r) => r.list],
  ['cached GET /api/plans?user_id= (200 plans, plain)', (r) => r.bigList],
  ['the same, `Accept-Encoding: br, gzip` (node:http sends the brotli bytes)', (r) => r.bigListCompressed],
  ['cached POST /api/chat/plan', (r) => r.plan],
  ['SSE replay of a cached plan (GET /api/chat/stream)', (r) => r.stream],
];

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function runtimesTable(runtimes: RuntimeResult[]): string[] {
  return table(
    ['cached answer', ...runtimes.flatMap((r) => [`${r.runtime}: req/s`, 'node:http req/s', 'ratio'])],
    ['---', ...runtimes.flatMap(() => ['---:', '---:', '---:'])],
    PATHS.map(([label, pick]) => [
      label,
      ...runtimes.flatMap((r) => [pick(r).service.rps, pick(r).nodeHttp.rps, `**${pick(r).ratio}**`]),
    ]),
  );
}

function compressionTable(runtimes: RuntimeResult[]): string[] {
  return table(
    ['runtime', 'plain bytes', 'brotli bytes', 'share', 'compressed hits / plain hits (req/s)'],
    ['---', '---:', '---:', '---:', '---:'],
    runtimes.map((r) => {
      const c = r.bigListCompressed;
      return [
        r.runtime,
        kb(c.plain_bytes),
        kb(c.bytes),
        `${((c.bytes / c.plain_bytes) * 100).toFixed(1)} %`,
        c.plain_hit_ratio,
      ];
    }),
  );
}

/** The sections of docs/load.md written from the hot-path run. */
export function hotPathSections(h: HotPathsResult): string[] {
  const [pglite] = h.memory.idle;
  return [
    '## Hot paths',
    '',
    '### Cached answers on Node 20 and Node 24',
    '',
    'Each cached answer against node:http sending the same bytes with the same length, on the same',
    'runtime; the participants of both runtimes measured in turns in one comparison.',
    '',
    ...runtimesTable(h.runtimes),
    '### Compression',
    '',
    'The 200-plan list asked with `Accept-Encoding: br, gzip`: bytes on the wire, and the compressed',
    "hits' rate over the plain hits' rate of the same service (1 or more: compression costs a hit nothing,",
    'the bytes were compressed once when the list was first asked for in that encoding).',
    '',
    ...compressionTable(h.runtimes),
    `### The gap to bare Fastify, step by step (${h.primary})`,
    '',
    "Bare Fastify answering the seeded list, with the service's pieces added one at a time",
    '(bench/peers/fastify-ladder.ts uses their code), then the service itself; all measured in turns.',
    '',
    ...table(
      ['step', 'req/s', 'over node:http', 'over the step before'],
      ['---', '---:', '---:', '---:'],
      h.ladder.map((step) => [step.step, step.load.rps, step.node_http, step.previous]),
    ),
    `### Redis enabled, every hit from memory (${h.primary})`,
    '',
    ...table(
      ['cached answer', 'with Redis req/s', 'without req/s', 'ratio'],
      ['---', '---:', '---:', '---:'],
      (['plan', 'list', 'stream'] as const).map((name) => [
        name,
        h.redis[name].withRedis.rps,
        h.redis[name].without.rps,
        h.redis[name].ratio,
      ]),
    ),
    `### Token verification and limits (${h.primary})`,
    '',
    'A service with `AUTH_JWT_SECRET`, per-caller and per-tenant limits, asked with a JWT, against one',
    'without them asked anonymously.',
    '',
    ...table(
      ['cached answer', 'on (JWT) req/s', 'off (anonymous) req/s', 'ratio'],
      ['---', '---:', '---:', '---:'],
      (['plan', 'stream'] as const).map((name) => [
        name,
        h.callers[name].on.rps,
        h.callers[name].off.rps,
        h.callers[name].ratio,
      ]),
    ),
    '### Memory',
    '',
    'RSS of the service after a request of each kind (list, plan, stream) and 5 s idle; its first start',
    'creates the data directory (initdb runs in a process of its own), the restart opens it.',
    '',
    ...table(
      ['set-up', 'runtime', 'first start', 'restart'],
      ['---', '---', '---:', '---:'],
      h.memory.idle.map((idle) => [idle.setup, idle.runtime, `${idle.first_start_mb} MB`, `${idle.restart_mb} MB`]),
    ),
    `Embedded default on ${pglite.runtime}: ${pglite.first_start_mb} MB at first start, ${pglite.restart_mb} MB after.`,
    '',
    ...table(
      ['runtime', 'RSS added by 10,000 cached 2 KB plans', 'live heap they take'],
      ['---', '---:', '---:'],
      h.memory.plans.map((plans) => [plans.runtime, `${plans.rss_mb} MB`, `${plans.heap_mb} MB`]),
    ),
    `### In-process layouts (${h.primary})`,
    '',
    'ns per hit at 100 / 1,000 / 10,000 / 100,000 entries, with every layout keeping a TTL per entry;',
    'heap bytes one entry takes beyond its key and value.',
    '',
    ...table(
      ['layout', 'ns per hit, 100 hot keys', 'ns per hit, 4,096 keys', 'bytes per entry'],
      ['---', '---', '---', '---:'],
      h.memory.layouts.layouts.map((layout) => [
        layout.layout,
        layout.ns_per_hit.join(' / '),
        layout.ns_per_hit_4096_keys.join(' / '),
        layout.bytes_per_entry,
      ]),
    ),
  ];
}
