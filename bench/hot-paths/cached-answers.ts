import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawRequest } from '../../test/support/raw-http.js';
import { adminHeaders, getJson, type Running } from '../support/processes.js';

export const BIG_LIST_USER = 4242;
export const CACHED_GOAL = {
  goal: 'Launch a billing dashboard for hotspot operators',
  project_context: 'NestJS, PostgreSQL',
};

/** The bytes of one cached answer, kept in a file for a node:http peer to send, and its headers. */
export interface SavedAnswer {
  file: string;
  bytes: number;
  /** The answer's own headers: not those node:http adds to any answer, nor the per-request id. */
  headers: Record<string, string>;
}

const NOT_THE_ANSWERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'x-request-id']);

/** The seeded list, a plan and its stream, as a service with the sample plans answers them. */
export interface SeededAnswers {
  list: SavedAnswer;
  plan: SavedAnswer;
  stream: SavedAnswer;
}

/** A list of 200 plans, plain and in brotli. */
export interface BigListAnswers {
  bigList: SavedAnswer;
  bigListBrotli: SavedAnswer;
}

let saved = 0;

/** Asks until the answer is a hit, then keeps its bytes as they were on the wire. */
export async function saveAnswer(
  service: Running,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<SavedAnswer> {
  for (let attempt = 0; ; attempt++) {
    const answer = await rawRequest(service.url, path, init);
    if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${answer.body.toString('utf8')}`);
    if (answer.headers['x-cache'] === 'HIT') {
      const file = join(tmpdir(), `plan-cache-bench-${process.pid}-${++saved}`);
      writeFileSync(file, answer.body);
      const headers = Object.entries(answer.headers).filter(([name]) => !NOT_THE_ANSWERS.has(name));
      return { file, bytes: answer.body.length, headers: Object.fromEntries(headers.map(([n, v]) => [n, String(v)])) };
    }
    if (attempt === 5) throw new Error(`${path} is never answered from the cache`);
  }
}

/** `count` billing plans of `userId` created through the API. */
export async function createPlans(service: Running, count: number, userId = BIG_LIST_USER): Promise<void> {
  for (let index = 0; index < count; index++) {
    await getJson(`${service.url}/api/plans`, {
      method: 'POST',
      headers: adminHeaders,
      body: JSON.stringify({
        name: `Bench plan ${index}`,
        connection_type: index % 2 ? 'pppoe' : 'hotspot',
        price: `${(index % 50) + 1}.99`,
        currency: 'USD',
        duration_days: 30,
        data_limit_mb: null,
        download_kbps: 10_000,
        upload_kbps: 5_000,
        user_id: userId,
      }),
    });
  }
}

export const PLAN_REQUEST = {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(CACHED_GOAL),
};
export const STREAM_PATH = `/api/chat/stream?${new URLSearchParams({ mode: 'plan', ...CACHED_GOAL }).toString()}`;
export const BIG_LIST_PATH = `/api/plans?user_id=${BIG_LIST_USER}`;

/** The seeded service's cached answers and their bytes. */
export async function seededAnswers(service: Running): Promise<SeededAnswers> {
  return {
    list: await saveAnswer(service, '/api/plans'),
    plan: await saveAnswer(service, '/api/chat/plan', PLAN_REQUEST),
    stream: await saveAnswer(service, STREAM_PATH),
  };
}

/** 200 plans of one user made on `service`, their list cached and its bytes kept. */
export async function bigListAnswers(service: Running): Promise<BigListAnswers> {
  await createPlans(service, 200);
  return {
    bigList: await saveAnswer(service, BIG_LIST_PATH),
    bigListBrotli: await saveAnswer(service, BIG_LIST_PATH, { headers: { 'accept-encoding': 'br, gzip' } }),
  };
}
