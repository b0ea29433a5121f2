import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A Node.js to run the service on: its version and binary. */
export interface Runtime {
  name: string;
  node: string;
}

/**
 * This process's Node and Node.js 24 for the side-by-side runs: BENCH_NODE24, else where .ci/run
 * keeps it; absent, the hot paths run on this process's Node alone (and say so).
 */
export function runtimes(): Runtime[] {
  const here = { name: `Node ${process.versions.node}`, node: process.execPath };
  const node24 =
    process.env.BENCH_NODE24 ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'plan-cache-ci', 'node24', 'bin', 'node');
  if (process.versions.node.startsWith('24.') || !existsSync(node24)) return [here];
  return [here, { name: 'Node 24', node: node24 }];
}

/** The runtime the single-runtime sections run on: the image's (24) when it is here. */
export const primaryRuntime = (): Runtime => runtimes().at(-1)!;
