import {
  compareBothClients,
  ratios,
  type BothClients,
  type BothRatios,
  type Participant,
} from '../support/both-clients.js';
import { startPeer, startService, type Running } from '../support/processes.js';
import { SERVICE_SETTINGS } from '../throughput.js';
import { saveAnswer } from './cached-answers.js';
import type { Runtime } from './runtimes.js';
import { CORS_SETTINGS, JWT_SETTINGS, shippedHeaders, startRedis, unsampledTracing } from './shipped.js';

/**
 * Seconds of each client's run in the ladder and the compression comparison: they locate costs
 * rather than judge targets, and 14 participants at 5 s would take most of the bench's budget.
 * BENCH_LADDER_SECONDS, else BENCH_SECONDS, else 3.
 */
export const LADDER_SECONDS = Number(process.env.BENCH_LADDER_SECONDS ?? process.env.BENCH_SECONDS ?? 3);

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

/** The service itself, then as shipped, one setting added at a time (cumulative). */
const SERVICE_STEPS = [
  'the service (NestJS, every module) answering from memory',
  '+ Redis enabled (L2, bus, locks), the hit still from memory',
  '+ JWT callers (secret, issuer, audience, limits), the request carrying a valid JWT',
  '+ CORS_ORIGINS, the request carrying an allowed Origin',
  '+ tracing configured, unsampled (OTLP endpoint, OTEL_TRACES_SAMPLER=always_off)',
];

export interface LadderStep {
  step: string;
  measured: BothClients;
  /** rps over node:http's. */
  node_http: BothRatios;
  /** rps over the step before's. */
  previous: BothRatios;
}

/**
 * The cached seeded list from bare Fastify to the service as shipped, one piece added at a time,
 * every step measured in turns by both clients with node:http sending the same bytes.
 */
export async function gapLadder(runtime: Runtime): Promise<LadderStep[]> {
  const redis = await startRedis();
  const tracing = await unsampledTracing();
  const started: Running[] = [];
  try {
    const service = (settings: Record<string, string>) =>
      startService({ ...SERVICE_SETTINGS, ...settings }, [], undefined, runtime.node);
    const cumulative = [
      {},
      redis.settings,
      { ...redis.settings, ...JWT_SETTINGS },
      { ...redis.settings, ...JWT_SETTINGS, ...CORS_SETTINGS },
      { ...redis.settings, ...JWT_SETTINGS, ...CORS_SETTINGS, ...tracing.settings },
    ];
    const services: Running[] = [];
    for (const settings of cumulative) {
      services.push(await service(settings));
      started.push(services.at(-1)!);
    }
    const { authorization, origin } = await shippedHeaders();
    // What each service step's request carries: a token from the JWT step on, an Origin from the CORS step on.
    const headersOf = (index: number): Record<string, string> => ({
      ...(index >= 2 ? { authorization } : {}),
      ...(index >= 3 ? { origin } : {}),
    });
    const list = await saveAnswer(services[0], '/api/plans');
    for (const [index, one] of services.entries()) await saveAnswer(one, '/api/plans', { headers: headersOf(index) });
    const nodeHttp = await startPeer('node-http', list.file, {}, runtime.node);
    started.push(nodeHttp);
    const participants: Record<string, Participant> = {
      node: { url: `${nodeHttp.url}/api/plans`, pid: nodeHttp.process.pid! },
    };
    for (let step = 0; step < LADDER_STEPS.length; step++) {
      const peer = await startPeer('fastify-ladder', list.file, { LADDER_STEP: String(step) }, runtime.node);
      started.push(peer);
      participants[`step${step}`] = { url: `${peer.url}/api/plans`, pid: peer.process.pid! };
    }
    services.forEach((one, index) => {
      participants[`service${index}`] = {
        url: `${one.url}/api/plans`,
        headers: headersOf(index),
        pid: one.process.pid!,
      };
    });
    const measured = await compareBothClients(participants, LADDER_SECONDS);
    const rows = [
      ...LADDER_STEPS.map((step, index) => ({ step, measured: measured[`step${index}`] })),
      ...SERVICE_STEPS.map((step, index) => ({ step, measured: measured[`service${index}`] })),
    ];
    return rows.map((row, index) => ({
      ...row,
      node_http: ratios(row.measured, measured.node),
      previous: ratios(row.measured, rows[Math.max(index - 1, 0)].measured),
    }));
  } finally {
    for (const one of started) await one.stop();
    tracing.stop();
    await redis.stop();
  }
}
