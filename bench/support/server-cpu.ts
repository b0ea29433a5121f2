import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of /proc/<pid>/stat's utime and stime (100 on Linux). */
const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** A run counts only while the server works this share of a core or more: below, the client was the limit. */
export const SATURATED = 0.9;

/** utime + stime of every thread of `pid`, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: the fields counted start after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** `work` run while `pid`'s CPU time is read before and after: the share of one core the server used. */
export async function withServerCpu<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; cpu: number }> {
  const cpuBefore = cpuSeconds(pid);
  const startedAt = performance.now();
  const result = await work();
  const wallSeconds = (performance.now() - startedAt) / 1000;
  return { result, cpu: Math.round(((cpuSeconds(pid) - cpuBefore) / wallSeconds) * 100) / 100 };
}
