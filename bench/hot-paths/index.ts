import { HIT_CONNECTIONS, HIT_SECONDS } from '../support/both-clients.js';
import { ROUNDS } from '../support/load.js';
import { WRK_AVAILABLE, WRK_MISSING } from '../support/wrk.js';
import { compression, type CompressionResult } from './compression.js';
import { hitComparison, type RuntimeHits } from './hits.js';
import { gapLadder, LADDER_SECONDS, type LadderStep } from './ladder.js';
import { memory, type MemoryResult } from './memory.js';
import { hitProfiles, type RuntimeProfiles } from './profiles.js';
import { primaryRuntime, runtimes } from './runtimes.js';

/** How the hit comparisons were run, for the report to say. */
export interface HitMethod {
  runtimes: string[];
  rounds: number;
  seconds: number;
  connections: number;
  wrk: boolean;
}

/** The issue-29 table and everything its targets are judged on: hits on every runtime, memory. */
export interface HitPathsResult {
  method: HitMethod;
  hits: RuntimeHits[];
  memory: MemoryResult;
}

/** Beyond the targets: where the time goes (the ladder, profiles on every runtime) and compression. */
export interface HotPathsResult extends HitPathsResult {
  /** The Node.js the ladder and compression ran on. */
  primary: string;
  ladderSeconds: number;
  ladder: LadderStep[];
  compression: CompressionResult;
  profiles: RuntimeProfiles[];
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/** The hit comparison on every runtime and memory: `npm run bench:hot-paths`. */
export async function hitPaths(): Promise<HitPathsResult> {
  const all = runtimes();
  if (all.length === 1) say(`hot paths: Node 24 not found (BENCH_NODE24): ${all[0].name} alone`);
  if (!WRK_AVAILABLE) say(WRK_MISSING);
  say(`hot paths: cached answers on ${all.map((r) => r.name).join(' and ')}, autocannon and wrk, in turns`);
  const hits = await hitComparison(all);
  say('hot paths: memory');
  const method = {
    runtimes: all.map((r) => r.name),
    rounds: ROUNDS,
    seconds: HIT_SECONDS,
    connections: HIT_CONNECTIONS,
    wrk: WRK_AVAILABLE,
  };
  return { method, hits, memory: await memory(primaryRuntime()) };
}

/** Every hot-path section: `npm run bench`. */
export async function hotPaths(): Promise<HotPathsResult> {
  const hit = await hitPaths();
  const primary = primaryRuntime();
  say(`hot paths: the gap ladder on ${primary.name}`);
  const ladder = await gapLadder(primary);
  say(`hot paths: compression on ${primary.name}`);
  const compressed = await compression(primary);
  const profiles: RuntimeProfiles[] = [];
  for (const runtime of runtimes()) {
    say(`hot paths: CPU profiles on ${runtime.name}`);
    profiles.push(await hitProfiles(runtime));
  }
  return { ...hit, primary: primary.name, ladderSeconds: LADDER_SECONDS, ladder, compression: compressed, profiles };
}
