import { readFileSync, writeFileSync } from 'node:fs';

const SAMPLE_EVERY_MS = 5;

/** A `Vm…` line of /proc/<pid>/status, in bytes (Linux). */
function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no ${field} for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** Resets the peak resident size the kernel keeps (Linux 4.0+); false where /proc does not allow it. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * How far the resident memory of process `pid` rose above its level before `work` while `work`
 * ran: the kernel's peak (VmHWM, reset first) where it can be reset, and samples of VmRSS besides.
 */
export async function residentGrowthDuring<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; growth: number }> {
  const before = statusBytes(pid, 'VmRSS');
  const peakKept = resetPeak(pid);
  let sampled = before;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, statusBytes(pid, 'VmRSS'));
  }, SAMPLE_EVERY_MS);
  try {
    const result = await work();
    const peak = Math.max(sampled, statusBytes(pid, 'VmRSS'), peakKept ? statusBytes(pid, 'VmHWM') : 0);
    return { result, growth: peak - before };
  } finally {
    clearInterval(sampler);
  }
}
