import { signatureOf } from '../../src/chat/semantic/identity-gates.js';
import { GoalBucket } from '../../src/chat/semantic/goal-bucket.js';
import { LexicalEmbedder } from '../../src/embeddings/lexical-embedder.js';
import { dot } from '../../src/embeddings/vectors.js';
import { seededRandom } from '../support/zipf.js';

const VERBS = [
  'set up',
  'write',
  'deploy',
  'migrate',
  'refactor',
  'document',
  'monitor',
  'optimize',
  'secure',
  'test',
  'plan',
  'launch',
  'design',
  'automate',
  'review',
  'настроить',
  'написать',
  'развернуть',
  'перенести',
  'оптимизировать',
];
const THINGS = [
  'billing service',
  'checkout flow',
  'reports database',
  'mobile app',
  'public api',
  'admin console',
  'search index',
  'payment gateway',
  'user onboarding',
  'email campaign',
  'data pipeline',
  'auth module',
  'сервис оплаты',
  'базу отчётов',
  'мобильное приложение',
  'поиск',
];
const QUALIFIERS = [
  'for the team',
  'before the release',
  'with zero downtime',
  'for the next quarter',
  'in the staging cluster',
  'for new customers',
  'on a budget',
  'для команды',
  'до релиза',
  'без простоя',
];

/** Distinct, realistic goals: a verb, a thing, a qualifier, and a project name to tell them apart. */
export function syntheticGoals(count: number): string[] {
  const random = seededRandom(5);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  return Array.from(
    { length: count },
    (_, i) => `${pick(VERBS)} the ${pick(THINGS)} ${pick(QUALIFIERS)} project${i.toString(36)}`,
  );
}

export interface IndexLatency {
  entries: number;
  structure: 'exact scan' | 'HNSW (usearch) + scan of recent';
  buildMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Resident memory added per entry (vector, maps, graph; the goal strings existed before). */
  bytesPerEntry: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/** Resident memory after a collection: the graph lives in native memory that V8 does not count. */
const memory = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
};

/** Lookups of the 5 nearest goals among `entries` builtin embeddings: the scan, and the index as the service builds it. */
export function measureIndex(entries: number, queries = 1000): IndexLatency[] {
  const embedder = new LexicalEmbedder();
  const goals = syntheticGoals(entries + queries);
  const before = memory();
  const vectors = goals.map((goal) => embedder.embedOne(goal));
  const probes = vectors.slice(entries);
  const stored = vectors.slice(0, entries);

  const scanTimes = probes.slice(0, Math.min(queries, 200)).map((probe) => {
    const started = performance.now();
    let best = -1;
    for (const vector of stored) best = Math.max(best, dot(probe, vector));
    return performance.now() - started + best * 0;
  });

  const bucket = new GoalBucket(vectors[0].length);
  const building = performance.now();
  stored.forEach((vector, i) =>
    bucket.put({
      key: `plan:${i.toString(16).padStart(16, '0')}`,
      goal: goals[i],
      signature: signatureOf(goals[i]),
      vector,
    }),
  );
  const buildMs = performance.now() - building;
  const bytesPerEntry = (memory() - before) / entries;
  const indexTimes = probes.map((probe) => {
    const started = performance.now();
    bucket.nearest(probe, 5);
    return performance.now() - started;
  });

  const row = (structure: IndexLatency['structure'], times: number[], build: number, bytes: number): IndexLatency => {
    const sorted = [...times].sort((a, b) => a - b);
    return {
      entries,
      structure,
      buildMs: build,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      bytesPerEntry: bytes,
    };
  };
  return [
    row('exact scan', scanTimes, 0, stored[0].byteLength),
    row('HNSW (usearch) + scan of recent', indexTimes, buildMs, bytesPerEntry),
  ];
}
