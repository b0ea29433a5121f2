import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { compare, type LoadOptions, type LoadResult } from '../support/load.js';
import { startPeer, startService, type Running } from '../support/processes.js';
import { ratio } from '../support/results.js';
import { SERVICE_SETTINGS } from '../throughput.js';
import {
  BIG_LIST_PATH,
  bigListAnswers,
  PLAN_REQUEST,
  seededAnswers,
  STREAM_PATH,
  type BigListAnswers,
  type SeededAnswers,
} from './cached-answers.js';

/** A Node.js to run the service on: its version and binary. */
export interface Runtime {
  name: string;
  node: string;
}

/**
 * Node.js 24 for the side-by-side runs: BENCH_NODE24, else where .ci/run keeps it; absent, the
 * runtimes section runs on this process's Node alone.
 */
export function runtimes(): Runtime[] {
  const here = { name: `Node ${process.versions.node}`, node: process.execPath };
  const node24 =
    process.env.BENCH_NODE24 ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'plan-cache-ci', 'node24', 'bin', 'node');
  if (process.versions.node.startsWith('24.') || !existsSync(node24)) return [here];
  return [here, { name: 'Node 24', node: node24 }];
}

/** The runtime the other hot-path sections run on: the image's (24) when it is here. */
export const primaryRuntime = (): Runtime => runtimes().at(-1)!;

export const ACCEPT_COMPRESSED = { 'accept-encoding': 'br, gzip' };

export interface RuntimeResult {
  runtime: string;
  /** rps of each cached answer and of node:http sending its bytes. */
  list: PathResult;
  bigList: PathResult;
  bigListCompressed: PathResult & { bytes: number; plain_bytes: number; plain_hit_ratio: number };
  plan: PathResult;
  stream: PathResult;
}

export interface PathResult {
  service: LoadResult;
  nodeHttp: LoadResult;
  /** service rps / node:http rps. */
  ratio: number;
}

const path = (service: LoadResult, nodeHttp: LoadResult): PathResult => ({
  service,
  nodeHttp,
  ratio: ratio(service.rps, nodeHttp.rps),
});

interface Participants {
  services: Running[];
  peers: Running[];
  answers: SeededAnswers & BigListAnswers;
  requests: Record<string, LoadOptions>;
}

/** Two services (the seeded one, and one that also lists 200 plans of a user) and node:http peers. */
async function participants(runtime: Runtime): Promise<Participants> {
  const seeded = await startService(SERVICE_SETTINGS, [], undefined, runtime.node);
  const big = await startService(SERVICE_SETTINGS, [], undefined, runtime.node);
  const answers = { ...(await seededAnswers(seeded)), ...(await bigListAnswers(big)) };
  const peer = (file: string, environment: Record<string, string> = {}) =>
    startPeer('node-http', file, environment, runtime.node);
  const peers = [
    await peer(answers.list.file),
    await peer(answers.bigList.file),
    await peer(answers.bigListBrotli.file, { CONTENT_ENCODING: 'br' }),
    await peer(answers.plan.file),
    await peer(answers.stream.file, { CONTENT_TYPE: 'text/event-stream; charset=utf-8' }),
  ];
  const [list, bigList, bigListBrotli, plan, stream] = peers;
  const post = { method: 'POST' as const, headers: PLAN_REQUEST.headers, body: PLAN_REQUEST.body };
  const requests = {
    list: { url: `${seeded.url}/api/plans` },
    nodeList: { url: `${list.url}/api/plans` },
    bigList: { url: `${big.url}${BIG_LIST_PATH}` },
    nodeBigList: { url: `${bigList.url}/api/plans` },
    bigListCompressed: { url: `${big.url}${BIG_LIST_PATH}`, headers: ACCEPT_COMPRESSED },
    nodeBigListBrotli: { url: `${bigListBrotli.url}/api/plans` },
    plan: { url: `${seeded.url}/api/chat/plan`, ...post },
    nodePlan: { url: `${plan.url}/api/chat/plan`, ...post },
    stream: { url: `${seeded.url}${STREAM_PATH}` },
    nodeStream: { url: `${stream.url}/api/chat/stream` },
  };
  return { services: [seeded, big], peers, answers, requests };
}

/**
 * Every cached answer (the seeded list, a 200-plan list plain and compressed, a plan, a plan's
 * stream) against node:http sending the same bytes, on each runtime, every participant of every
 * runtime measured in turns.
 */
export async function runtimeComparison(): Promise<RuntimeResult[]> {
  const all = runtimes();
  const started: Participants[] = [];
  try {
    for (const runtime of all) started.push(await participants(runtime));
    const requests = Object.fromEntries(
      started.flatMap(({ requests: byName }, index) =>
        Object.entries(byName).map(([name, options]) => [`${index}:${name}`, options] as const),
      ),
    );
    const measured = await compare(requests);
    return all.map((runtime, index) => {
      const r = (name: string) => measured[`${index}:${name}`];
      const { answers } = started[index];
      return {
        runtime: runtime.name,
        list: path(r('list'), r('nodeList')),
        bigList: path(r('bigList'), r('nodeBigList')),
        bigListCompressed: {
          ...path(r('bigListCompressed'), r('nodeBigListBrotli')),
          bytes: answers.bigListBrotli.bytes,
          plain_bytes: answers.bigList.bytes,
          plain_hit_ratio: ratio(r('bigListCompressed').rps, r('bigList').rps),
        },
        plan: path(r('plan'), r('nodePlan')),
        stream: path(r('stream'), r('nodeStream')),
      };
    });
  } finally {
    for (const { services, peers } of started) for (const running of [...services, ...peers]) await running.stop();
  }
}
