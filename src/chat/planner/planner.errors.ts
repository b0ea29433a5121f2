import { DomainError } from '../../common/index.js';

/**
 * The planner could not be reached, failed, or answered nothing usable: 503. Its message is the
 * upstream's detail (host names, addresses, parts of a key in an OpenAI 401) and goes to the log
 * only; clients get a fixed message and the request id to quote.
 */
export class PlannerUnavailableError extends DomainError {
  readonly status: number = 503;
  readonly code: string = 'planner_unavailable';

  override get publicMessage(): string {
    return 'The planner is not available right now; try again in a moment';
  }
}

/**
 * The planner was never reached (the request failed before any answer) or answered a status other
 * than 2xx: nothing was billed, so a tenant's reservation goes back whole. Every other failure of a
 * call that was sent (cancelled, past its deadline, a 2xx answer broken off, too large or unusable)
 * may have been billed up to its `max_tokens`.
 */
export class PlannerRefusedError extends PlannerUnavailableError {}

/**
 * The planner's answer went past what the service reads of it (derived from
 * PLANNER_MAX_PLAN_CHARS): reading stopped there and the connection was closed. A bad answer from
 * the upstream (502), and otherwise a planner failure like any other: a cached plan may stand in.
 */
export class PlannerAnswerTooLargeError extends PlannerUnavailableError {
  override readonly status = 502;
  override readonly code = 'planner_answer_too_large';

  constructor(maxBytes: number) {
    super(`The planner's answer was larger than the ${maxBytes} bytes read of it`);
  }

  override get publicMessage(): string {
    return 'The planner answered more than a plan can be; it was not read to the end';
  }
}

/** The planner did not finish within PLANNER_TIMEOUT_MS: 504. */
export class PlannerTimeoutError extends DomainError {
  readonly status = 504;
  readonly code = 'planner_timeout';

  constructor(timeoutMs: number) {
    super(`The planner did not answer within ${timeoutMs} ms`);
  }
}

/** Nobody waits for the answer any more: every client that asked has gone (499, never seen). */
export class GenerationCancelledError extends DomainError {
  readonly status = 499;
  readonly code = 'cancelled';

  constructor() {
    super('The generation was cancelled: no client waits for it');
  }
}

/** What an event stream tells its client about a failure; unknown errors stay unexplained. */
export function describeFailure(error: unknown): { code: string; message: string } {
  return error instanceof DomainError
    ? { code: error.code, message: error.publicMessage }
    : { code: 'internal_error', message: 'The answer could not be made' };
}

/** `only-if-cached` asked for a plan the cache does not hold fresh (RFC 9111 §5.2.1.7: 504). */
export class NotCachedError extends DomainError {
  readonly status = 504;
  readonly code = 'not_cached';

  constructor() {
    super('The plan is not in the cache, and only-if-cached forbids generating it');
  }
}

/** The planner could not make a plan (unreachable, failing, or too slow): a cached plan may stand in. */
export function isPlannerFailure(error: unknown): boolean {
  return error instanceof PlannerUnavailableError || error instanceof PlannerTimeoutError;
}
