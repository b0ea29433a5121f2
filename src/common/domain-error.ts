/**
 * An error of the service's own domain that maps to an HTTP answer; the exception filter turns
 * it into `{ statusCode, error, message }` with its status.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  /** A stable machine-readable code, e.g. for SSE `error` events. */
  abstract readonly code: string;

  /** What the client is told; `message` may hold detail for the log only. */
  get publicMessage(): string {
    return this.message;
  }

  /** Headers the answer carries (e.g. Retry-After of a refusal). */
  get headers(): Record<string, string> {
    return {};
  }
}
