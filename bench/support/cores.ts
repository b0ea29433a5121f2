import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** The core the servers run on; the bench and its clients (autocannon in-process, wrk its child) take the other. */
const SERVER_CORE = 1;
const CLIENT_CORE = 0;

/**
 * With two cores or more and `taskset` (util-linux), every server measured runs on one core and
 * the clients on another. Unpinned, the scheduler placed server and client differently from one
 * process to the next, and one service process measured 25 % apart from its twin started a minute
 * later; pinned, the rounds of one participant agree within a few percent.
 */
export const CORES_PINNED =
  process.platform === 'linux' && availableParallelism() >= 2 && spawnSync('taskset', ['-V']).status === 0;

function pin(pid: number, core: number): void {
  if (!CORES_PINNED) return;
  // -a: every thread of the process, V8's and libuv's included.
  const run = spawnSync('taskset', ['-a', '-cp', String(core), String(pid)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`taskset could not pin ${pid} to core ${core}: ${run.stderr}`);
}

/** A server that listens: onto the server core, and this process (the clients) onto the other. */
export function pinServer(pid: number): void {
  pin(process.pid, CLIENT_CORE);
  pin(pid, SERVER_CORE);
}

/** How the report says where the processes ran. */
export const CORES_NOTE = CORES_PINNED
  ? `servers on core ${SERVER_CORE}, clients (autocannon, wrk) on core ${CLIENT_CORE} (taskset)`
  : 'servers and clients unpinned (taskset or a second core missing)';
