import {
  compareBothClients,
  ratios,
  type BothClients,
  type BothRatios,
  type Participant,
} from '../support/both-clients.js';
import { startPeer, startService, type Running } from '../support/processes.js';
import { SERVICE_SETTINGS } from '../throughput.js';
import { PLAN_REQUEST, saveAnswer, seededAnswers, STREAM_PATH } from './cached-answers.js';
import type { Runtime } from './runtimes.js';
import { CORS_SETTINGS, JWT_SETTINGS, shippedHeaders, startRedis } from './shipped.js';

/** Who answers in the issue-29 comparison, on each runtime. */
export const HIT_PARTICIPANTS = [
  'list',
  'nodeList',
  'stockFastify',
  'stockExpress',
  'plan',
  'nodePlan',
  'stream',
  'nodeStream',
  'shippedList',
  'shippedPlan',
  'nodeListAsServed',
  'nodeShippedList',
] as const;
export type HitParticipant = (typeof HIT_PARTICIPANTS)[number];

/** The ratios issue 29 sets targets on, each per client and their median. */
export interface HitRatios {
  listOverNodeHttp: BothRatios;
  listOverStockFastify: BothRatios;
  listOverStockExpress: BothRatios;
  planOverNodeHttp: BothRatios;
  streamOverNodeHttp: BothRatios;
  shippedListOverList: BothRatios;
  shippedPlanOverPlan: BothRatios;
  /**
   * What node:http itself keeps of its rate when it answers the shipped list (its CORS headers, to
   * a request with a JWT and an Origin) instead of the plain one, each with the service's headers:
   * the floor under the shipped targets.
   */
  nodeShippedOverNodeAsServed: BothRatios;
  /** p99 latency of the list hit over node:http's p99 (lower is better). */
  listP99OverNodeHttp: BothRatios;
}

export interface RuntimeHits {
  runtime: string;
  measured: Record<HitParticipant, BothClients>;
  ratios: HitRatios;
}

interface Started {
  running: Running[];
  stop: () => Promise<void>;
  participants: Record<HitParticipant, Participant>;
}

const pidOf = (running: Running) => running.process.pid!;

/**
 * One runtime's participants: the service as `npm start` runs it, the service as shipped (Redis,
 * JWT callers and CORS at once, asked with a valid JWT and an allowed Origin), node:http sending
 * each cached answer's bytes, and stock NestJS with the CacheInterceptor on Fastify and on Express.
 */
async function start(runtime: Runtime): Promise<Started> {
  const running: Running[] = [];
  const redis = await startRedis();
  const stop = async () => {
    for (const one of running) await one.stop();
    await redis.stop();
  };
  try {
    const plain = await startService(SERVICE_SETTINGS, [], undefined, runtime.node);
    running.push(plain);
    const shippedSettings = { ...SERVICE_SETTINGS, ...redis.settings, ...JWT_SETTINGS, ...CORS_SETTINGS };
    const shipped = await startService(shippedSettings, [], undefined, runtime.node);
    running.push(shipped);
    const answers = await seededAnswers(plain);
    const signedIn = await shippedHeaders();
    const shippedPost = { ...PLAN_REQUEST, headers: { ...PLAN_REQUEST.headers, ...signedIn } };
    const shippedList = await saveAnswer(shipped, '/api/plans', { headers: signedIn });
    await saveAnswer(shipped, '/api/chat/plan', shippedPost);
    const peer = async (name: Parameters<typeof startPeer>[0], file: string, environment = {}) => {
      const started = await startPeer(name, file, environment, runtime.node);
      running.push(started);
      return started;
    };
    const nodeList = await peer('node-http', answers.list.file);
    const stockFastify = await peer('stock-nest-fastify', answers.list.file);
    const stockExpress = await peer('stock-nest-cache', answers.list.file);
    const nodePlan = await peer('node-http', answers.plan.file);
    const nodeStream = await peer('node-http', answers.stream.file, {
      CONTENT_TYPE: 'text/event-stream; charset=utf-8',
    });
    const nodeListAsServed = await peer('node-http', answers.list.file, {
      ANSWER_HEADERS: JSON.stringify(answers.list.headers),
    });
    const nodeShippedList = await peer('node-http', shippedList.file, {
      ANSWER_HEADERS: JSON.stringify(shippedList.headers),
    });
    const post = { method: 'POST' as const, headers: PLAN_REQUEST.headers, body: PLAN_REQUEST.body };
    const at = (server: Running, path: string, options = {}): Participant => ({
      url: `${server.url}${path}`,
      pid: pidOf(server),
      ...options,
    });
    const participants: Record<HitParticipant, Participant> = {
      list: at(plain, '/api/plans'),
      nodeList: at(nodeList, '/api/plans'),
      stockFastify: at(stockFastify, '/api/plans'),
      stockExpress: at(stockExpress, '/api/plans'),
      plan: at(plain, '/api/chat/plan', post),
      nodePlan: at(nodePlan, '/api/chat/plan', post),
      stream: at(plain, STREAM_PATH),
      nodeStream: at(nodeStream, '/api/chat/stream'),
      shippedList: at(shipped, '/api/plans', { headers: signedIn }),
      shippedPlan: at(shipped, '/api/chat/plan', { ...post, headers: shippedPost.headers }),
      nodeListAsServed: at(nodeListAsServed, '/api/plans'),
      nodeShippedList: at(nodeShippedList, '/api/plans', { headers: signedIn }),
    };
    return { running, stop, participants };
  } catch (error) {
    await stop();
    throw error;
  }
}

function ratiosOf(m: Record<HitParticipant, BothClients>): HitRatios {
  return {
    listOverNodeHttp: ratios(m.list, m.nodeList),
    listOverStockFastify: ratios(m.list, m.stockFastify),
    listOverStockExpress: ratios(m.list, m.stockExpress),
    planOverNodeHttp: ratios(m.plan, m.nodePlan),
    streamOverNodeHttp: ratios(m.stream, m.nodeStream),
    shippedListOverList: ratios(m.shippedList, m.list),
    shippedPlanOverPlan: ratios(m.shippedPlan, m.plan),
    nodeShippedOverNodeAsServed: ratios(m.nodeShippedList, m.nodeListAsServed),
    listP99OverNodeHttp: ratios(m.list, m.nodeList, (run) => run.p99),
  };
}

/**
 * The issue-29 comparison: every participant of every runtime measured in turns in one
 * comparison, by autocannon and by wrk, at 50 connections, the server's CPU share read around
 * each run.
 */
export async function hitComparison(all: Runtime[]): Promise<RuntimeHits[]> {
  const started: Started[] = [];
  try {
    for (const runtime of all) started.push(await start(runtime));
    const participants = Object.fromEntries(
      started.flatMap(({ participants: byName }, index) =>
        Object.entries(byName).map(([name, participant]) => [`${index}:${name}`, participant] as const),
      ),
    );
    const measured = await compareBothClients(participants);
    return all.map((runtime, index) => {
      const mine = Object.fromEntries(HIT_PARTICIPANTS.map((name) => [name, measured[`${index}:${name}`]])) as Record<
        HitParticipant,
        BothClients
      >;
      return { runtime: runtime.name, measured: mine, ratios: ratiosOf(mine) };
    });
  } finally {
    for (const { stop } of started) await stop();
  }
}
