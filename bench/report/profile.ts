import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HIT_CONNECTIONS, HIT_SECONDS } from '../support/both-clients.js';
import { load, type LoadOptions } from '../support/load.js';
import { startService } from '../support/processes.js';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Share of the samples by where the time went: syscalls, idle, GC, each library, the service. */
  byPart: { part: string; percent: number }[];
  /** The functions with the most self time. */
  top: { fn: string; percent: number }[];
}

function partOf(url: string, functionName: string): string {
  if (functionName === '(idle)') return 'idle (waiting for the network)';
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (url === '') return functionName === '(program)' ? 'V8 / native' : `native: ${functionName}`;
  const library = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (library) return library;
  if (url.startsWith('node:')) return 'node core (http, streams)';
  if (url.includes('/dist/')) return 'the service (dist/)';
  return url;
}

function summarize(profile: CpuProfile, skipMs: number): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parts = new Map<string, number>();
  const functions = new Map<string, number>();
  let elapsed = 0;
  let counted = 0;
  profile.samples.forEach((id, index) => {
    elapsed += profile.timeDeltas[index] / 1000;
    if (elapsed < skipMs) return;
    const frame = nodes.get(id)!;
    const part = partOf(frame.url, frame.functionName);
    parts.set(part, (parts.get(part) ?? 0) + 1);
    const where = frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/');
    const fn = `${frame.functionName || '(anonymous)'} ${where}${where ? `:${frame.lineNumber + 1}` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + 1);
    counted++;
  });
  const percent = (count: number) => Math.round((count / counted) * 1000) / 10;
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return {
    byPart: sorted(parts)
      .slice(0, 12)
      .map(([part, count]) => ({ part, percent: percent(count) })),
    top: sorted(functions)
      .slice(0, 15)
      .map(([fn, count]) => ({ fn, percent: percent(count) })),
  };
}

/**
 * The service under `--cpu-prof` on `node` while `load` runs at the comparisons' connections;
 * only the samples taken under load count.
 */
export async function profileUnderLoad(
  environment: Record<string, string>,
  request: (url: string) => LoadOptions,
  prepare: (url: string) => Promise<unknown> = () => Promise.resolve(),
  node?: string,
): Promise<ProfileSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'plan-cache-profile-'));
  const spawnedAt = performance.now();
  const service = await startService(environment, ['--cpu-prof', `--cpu-prof-dir=${dir}`], undefined, node);
  const options = (url: string) => ({ ...request(url), connections: HIT_CONNECTIONS });
  try {
    await prepare(service.url);
    await load({ ...options(service.url), seconds: 1 }, { warmUp: false });
    const skipMs = performance.now() - spawnedAt;
    await load({ ...options(service.url), seconds: HIT_SECONDS }, { warmUp: false });
    await service.stop();
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error('the service wrote no CPU profile');
    return summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, skipMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
