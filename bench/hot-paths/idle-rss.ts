import { existsSync, readFileSync, rmSync } from 'node:fs';
import { startService, type Running } from '../support/processes.js';
import type { Runtime } from './runtimes.js';

export interface IdleRss {
  setup: string;
  runtime: string;
  first_start_mb: number;
  restart_mb: number;
}

const IDLE_MS = 5_000;

function rssMb(service: Running): number {
  if (!existsSync(`/proc/${service.process.pid}`)) {
    throw new Error(`the service exited while idle:\n${service.process.lines.slice(-20).join('\n')}`);
  }
  const status = readFileSync(`/proc/${service.process.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return Math.round(kb / 1024);
}

/** A request to each kind of answer (list, plan, stream), then idle: what the process keeps. */
async function warmedIdleRss(service: Running): Promise<number> {
  const json = { 'content-type': 'application/json' };
  await fetch(`${service.url}/api/plans`).then((response) => response.arrayBuffer());
  const body = JSON.stringify({ goal: 'Measure the memory of an idle service' });
  await fetch(`${service.url}/api/chat/plan`, { method: 'POST', headers: json, body }).then((r) => r.arrayBuffer());
  await fetch(`${service.url}/api/chat/stream`, { method: 'POST', headers: json, body }).then((r) => r.arrayBuffer());
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  return rssMb(service);
}

/**
 * RSS of the service as `npm start` runs it (embedded defaults) after a warm-up and a few idle
 * seconds: on its first start (the data directory is created) and on a restart over the same
 * directory; `environment` names another set-up (e.g. a PostgreSQL server).
 */
export async function idleRss(
  setup: string,
  runtime: Runtime,
  environment: Record<string, string> = {},
): Promise<IdleRss> {
  const dataDir = `/tmp/plan-cache-bench-rss-${process.pid}-${setup.replace(/\W+/g, '-')}`;
  const settings = { PLANNER_BUILTIN_DELAY_MS: '0', DATA_DIR: dataDir, ...environment };
  const first = await startService(settings, [], undefined, runtime.node);
  const firstStart = await warmedIdleRss(first).finally(() => first.stop());
  const again = await startService(settings, [], undefined, runtime.node);
  const restart = await warmedIdleRss(again).finally(() => again.stop());
  rmSync(dataDir, { recursive: true, force: true });
  return { setup, runtime: runtime.name, first_start_mb: firstStart, restart_mb: restart };
}
