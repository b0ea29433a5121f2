import { SignJWT } from 'jose';
import { compare, type LoadResult } from '../support/load.js';
import { startService } from '../support/processes.js';
import { ratio } from '../support/results.js';
import { PLAN_REQUEST, saveAnswer, STREAM_PATH } from './cached-answers.js';
import { SERVICE_SETTINGS } from '../throughput.js';
import type { Runtime } from './runtimes.js';

const SECRET = 'bench-jwt-secret-of-at-least-thirty-two-chars';
/** Production verifies tokens of one issuer for one audience only. */
const TOKEN_CHECKS = { AUTH_ISSUER: 'https://id.bench.example', AUTH_AUDIENCE: 'plan-cache' };

export interface CallersCost {
  plan: { on: LoadResult; off: LoadResult; ratio: number };
  stream: { on: LoadResult; off: LoadResult; ratio: number };
}

/**
 * Cached plans and streams with token verification and every limit configured, asked with a JWT,
 * against a service without them asked anonymously, in turns: knowing callers must cost a hit
 * next to nothing (a verified token is remembered; limits count generations, not hits).
 */
export async function callersCost(runtime: Runtime): Promise<CallersCost> {
  const token = await new SignJWT({
    sub: 'bench-user',
    tenant: 'bench',
    iss: TOKEN_CHECKS.AUTH_ISSUER,
    aud: TOKEN_CHECKS.AUTH_AUDIENCE,
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(SECRET));
  const onSettings = {
    ...SERVICE_SETTINGS,
    AUTH_JWT_SECRET: SECRET,
    ...TOKEN_CHECKS,
    LIMIT_AUTHENTICATED_GENERATIONS_PER_MINUTE: '60',
    LIMIT_TENANT_DAILY_TOKENS: '1000000',
    PLANNER_MAX_CONCURRENCY: '4',
  };
  const on = await startService(onSettings, [], undefined, runtime.node);
  const off = await startService(SERVICE_SETTINGS, [], undefined, runtime.node);
  const bearer = { authorization: `Bearer ${token}` };
  try {
    await saveAnswer(on, '/api/chat/plan', { ...PLAN_REQUEST, headers: { ...PLAN_REQUEST.headers, ...bearer } });
    await saveAnswer(on, STREAM_PATH, { headers: bearer });
    await saveAnswer(off, '/api/chat/plan', PLAN_REQUEST);
    await saveAnswer(off, STREAM_PATH);
    const post = { method: 'POST' as const, body: PLAN_REQUEST.body };
    const r = await compare({
      planOn: { url: `${on.url}/api/chat/plan`, ...post, headers: { ...PLAN_REQUEST.headers, ...bearer } },
      planOff: { url: `${off.url}/api/chat/plan`, ...post, headers: PLAN_REQUEST.headers },
      streamOn: { url: `${on.url}${STREAM_PATH}`, headers: bearer },
      streamOff: { url: `${off.url}${STREAM_PATH}` },
    });
    return {
      plan: { on: r.planOn, off: r.planOff, ratio: ratio(r.planOn.rps, r.planOff.rps) },
      stream: { on: r.streamOn, off: r.streamOff, ratio: ratio(r.streamOn.rps, r.streamOff.rps) },
    };
  } finally {
    await on.stop();
    await off.stop();
  }
}
