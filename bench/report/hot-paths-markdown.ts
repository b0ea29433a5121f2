import type { HotPathsResult } from '../hot-paths/index.js';
import type { RuntimeProfiles } from '../hot-paths/profiles.js';
import type { BothRatios } from '../support/both-clients.js';
import { SATURATED } from '../support/server-cpu.js';
import type { ProfileSummary } from './profile.js';
import { table } from './table.js';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const judged = (r: BothRatios) => `${r.median}${r.saturated ? '' : ' ⚠'}`;
const cpu = (share: number) => `${Math.round(share * 100)} %${share < SATURATED ? ' ⚠' : ''}`;

function ladderTable(h: HotPathsResult): string[] {
  return table(
    ['step', 'autocannon req/s', 'wrk req/s', 'server CPU (ac / wrk)', 'over node:http', 'over the step before'],
    ['---', '---:', '---:', '---:', '---:', '---:'],
    h.ladder.map((step) => [
      step.step,
      step.measured.autocannon.rps,
      step.measured.wrk?.rps ?? '—',
      `${cpu(step.measured.autocannon.cpu)} / ${step.measured.wrk ? cpu(step.measured.wrk.cpu) : '—'}`,
      judged(step.node_http),
      judged(step.previous),
    ]),
  );
}

function compressionTable({ compression: c }: HotPathsResult): string[] {
  return table(
    ['plain bytes', 'brotli bytes', 'share', 'compressed hits / plain hits (req/s, median of both clients)'],
    ['---:', '---:', '---:', '---:'],
    [
      [
        kb(c.plain_bytes),
        kb(c.bytes),
        `${((c.bytes / c.plain_bytes) * 100).toFixed(1)} %`,
        judged(c.compressedOverPlain),
      ],
    ],
  );
}

function profileTables(name: string, profile: ProfileSummary): string[] {
  return [
    `#### ${name}`,
    '',
    ...table(
      ['where the samples fell', 'share'],
      ['---', '---:'],
      profile.byPart.map((part) => [part.part, `${part.percent} %`]),
    ),
    ...table(
      ['function (self time)', 'share'],
      ['---', '---:'],
      profile.top.map((entry) => [`\`${entry.fn}\``, `${entry.percent} %`]),
    ),
  ];
}

/** "Where the time goes": CPU profiles of the hits under load, per runtime. */
export function profileSections(profiles: RuntimeProfiles[]): string[] {
  return [
    '## Where the time goes',
    '',
    'CPU profiles of the service (`node --cpu-prof`, the production flags) under load at 50 connections,',
    'samples taken under load only, on every runtime.',
    '',
    ...profiles.flatMap(({ runtime, profiles: byAnswer }) => [
      `### ${runtime}`,
      '',
      ...Object.entries(byAnswer).flatMap(([name, profile]) => profileTables(name, profile)),
    ]),
  ];
}

/** The sections of docs/load.md written from the hot-path run; the hit table and targets are in load-hot-paths.md. */
export function hotPathSections(h: HotPathsResult): string[] {
  return [
    '## Hot paths',
    '',
    'The cached answers against node:http and stock NestJS on Node 20 and Node 24, with both clients and',
    "the server's CPU share, their targets and memory: [load-hot-paths.md](load-hot-paths.md), written by",
    'this run (and by `npm run bench:hot-paths` alone).',
    '',
    `### The gap to bare Fastify, step by step (${h.primary})`,
    '',
    "Bare Fastify answering the seeded list, with the service's pieces added one at a time",
    '(bench/peers/fastify-ladder.ts uses their code), then the service itself, then the service as shipped',
    '(Redis, JWT callers, CORS, tracing unsampled, each added to the one before, its request carrying a',
    `valid JWT and an allowed Origin where configured); all measured in turns, ${h.ladderSeconds} s per client and round.`,
    'Ratios are the median of both clients; ⚠: a server under 90 % CPU in a run behind it.',
    '',
    ...ladderTable(h),
    `### Compression (${h.compression.runtime})`,
    '',
    'The 200-plan list asked with `Accept-Encoding: br, gzip`: bytes on the wire, and the compressed',
    "hits' rate over the plain hits' rate of the same service (1 or more: compression costs a hit nothing,",
    'the bytes were compressed once when the list was first asked for in that encoding).',
    '',
    ...compressionTable(h),
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
