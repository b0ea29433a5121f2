import type { Test } from 'supertest';
import type { TestApp } from './test-app.js';

export const PLAN_PATH = '/api/chat/plan';

/** What a plan request sends: a goal, or a whole body (a goal and `project_context`, `cache`, …). */
export type PlanRequest = string | ({ goal: string } & Record<string, unknown>);

const bodyOf = (request: PlanRequest) => (typeof request === 'string' ? { goal: request } : request);

/** `POST /api/chat/plan` on `app` with `headers`; the test says what it expects of the answer. */
export function askPlan(app: TestApp, request: PlanRequest, headers: Record<string, string> = {}): Test {
  return app.http.post(PLAN_PATH).set(headers).send(bodyOf(request));
}

/**
 * The same request with fetch, for a service that runs as a process of its own, or a client that
 * hangs up (`init.signal`).
 */
export function fetchPlan(
  baseUrl: string,
  request: PlanRequest,
  headers: Record<string, string> = {},
  init: RequestInit = {},
): Promise<Response> {
  return fetch(`${baseUrl}${PLAN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(bodyOf(request)),
    ...init,
  });
}

/**
 * Where `app` would answer `request` from (`l1`, `l2`, `semantic`) without ever calling the
 * planner (`Cache-Control: only-if-cached`, or the directives `headers` give), or `status 504`
 * when it holds nothing for it.
 */
export async function cachedSource(
  app: TestApp,
  request: PlanRequest,
  headers: Record<string, string> = {},
): Promise<string> {
  const answer = await askPlan(app, request, { 'cache-control': 'only-if-cached', ...headers });
  return answer.status === 200 ? (answer.body as { source: string }).source : `status ${answer.status}`;
}
