import { BadRequestException } from '@nestjs/common';
import type { AnswerRequest } from '../../common/index.js';
import type { PlanExperiments } from '../task-plan-cache/experiments/plan-experiments.js';
import type { TaskPlanPolicy } from '../task-plan-cache/task-plan-policy.js';

const CLIENT_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * Who is asking, for the assignment to an experiment's variant: the `X-Client-Id` header when the
 * client sends one, else its address. A malformed header is refused, not silently replaced.
 */
export function clientIdOf(header: string | string[] | undefined, address: string): string {
  if (header === undefined) return address;
  if (typeof header === 'string' && CLIENT_ID.test(header)) return header;
  throw new BadRequestException('X-Client-Id must be 1 to 128 visible ASCII characters, sent once');
}

/**
 * The cache policy of a request: its experiment variant's when an experiment runs (the header
 * `X-Cache-Variant` names it), else the service's. A malformed `X-Client-Id` is refused (400) only
 * while it matters, that is while an experiment runs.
 */
export function policyOfRequest(
  experiments: PlanExperiments,
  request: AnswerRequest,
  setHeader: (name: string, value: string) => void,
): TaskPlanPolicy {
  if (experiments.experiment === undefined) return experiments.defaultPolicy;
  const policy = experiments.policyFor(clientIdOf(request.headers['x-client-id'], request.ip));
  setHeader('x-cache-variant', policy.variant);
  setHeader('vary', 'X-Client-Id');
  return policy;
}
