import { compare, type LoadOptions, type LoadResult } from '../support/load.js';
import { startPeer, startService, type Running } from '../support/processes.js';
import { ratio } from '../support/results.js';
import { saveAnswer } from './cached-answers.js';
import { SERVICE_SETTINGS } from '../throughput.js';
import type { Runtime } from './runtimes.js';

/** What bench/peers/fastify-ladder.ts adds at each LADDER_STEP (cumulative). */
export const LADDER_STEPS = [
  'bare Fastify: a route handler sends the bytes',
  "+ the service's server options (request id by UUID, deadlines, keep-alive, connection checks)",
  '+ the first onRequest hook (request id, X-Request-Id, nosniff, the route config read once)',
  '+ answered in onRequest by FastAnswers from a Map (the fast path), ETag and Cache-Control',
  '+ the answer read from the in-process tier, its hit counted (CacheNamespace.get)',
  '+ the HTTP metrics histogram (onResponse)',
  '+ conditional GET (onSend)',
  '+ the shutdown hook (onSend)',
];

export interface LadderStep {
  step: string;
  load: LoadResult;
  /** rps over node:http's. */
  node_http: number;
  /** rps over the step before's. */
  previous: number;
}

/**
 * The cached seeded list from bare Fastify to the service, one piece added at a time, every step
 * measured in turns with node:http and the service itself sending the same bytes.
 */
export async function gapLadder(runtime: Runtime): Promise<LadderStep[]> {
  const service = await startService(SERVICE_SETTINGS, [], undefined, runtime.node);
  const started: Running[] = [];
  try {
    const list = await saveAnswer(service, '/api/plans');
    const nodeHttp = await startPeer('node-http', list.file, {}, runtime.node);
    started.push(nodeHttp);
    for (let step = 0; step < LADDER_STEPS.length; step++) {
      started.push(await startPeer('fastify-ladder', list.file, { LADDER_STEP: String(step) }, runtime.node));
    }
    const participants: Record<string, LoadOptions> = Object.fromEntries(
      started.map((peer, index) => [index === 0 ? 'node' : `step${index - 1}`, { url: `${peer.url}/api/plans` }]),
    );
    const measured = await compare<string>({ ...participants, service: { url: `${service.url}/api/plans` } });
    const rows = [...LADDER_STEPS.map((step, index) => ({ step, load: measured[`step${index}`] }))];
    rows.push({ step: 'the service (NestJS, every module) answering from memory', load: measured.service });
    return rows.map(({ step, load }, index) => ({
      step,
      load,
      node_http: ratio(load.rps, measured.node.rps),
      previous: index === 0 ? 1 : ratio(load.rps, rows[index - 1].load.rps),
    }));
  } finally {
    for (const peer of started) await peer.stop();
    await service.stop();
  }
}
