import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from './domain-error.js';
import { JSON_CONTENT_TYPE } from './media-types.js';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** Further fields an exception carries, e.g. the checks of a failed readiness probe. */
  [detail: string]: unknown;
}

/** Errors Fastify raises before a route runs (body too large, malformed JSON, ...) carry their status. */
interface FastifyError {
  statusCode?: number;
  code?: string;
  message: string;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonOf(status: number): string {
  return REASONS[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/**
 * Shapes any error into `{ statusCode, error, message }`; the one place that does. A failure of
 * the service's own (5xx) carries the request id, for the client to quote and the operator to
 * find the logged detail by.
 */
export function toErrorBody(exception: unknown, requestId?: string): ErrorBody {
  const body = errorBodyOf(exception);
  return body.statusCode >= 500 && requestId !== undefined ? { ...body, request_id: requestId } : body;
}

function errorBodyOf(exception: unknown): ErrorBody {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const details = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
    const raw = typeof response === 'string' ? response : details.message;
    const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : exception.message;
    return { ...details, statusCode: status, error: reasonOf(status), message };
  }
  if (exception instanceof DomainError) {
    return { statusCode: exception.status, error: reasonOf(exception.status), message: exception.publicMessage };
  }
  const fastifyError = exception as FastifyError;
  const status = fastifyError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { statusCode: status, error: reasonOf(status), message: fastifyError.message };
  }
  return { statusCode: 500, error: reasonOf(500), message: 'Internal server error' };
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  readonly #logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = toErrorBody(exception, reply.request?.id);
    if (exception instanceof DomainError && body.statusCode >= 500) {
      this.#logger.warn({ msg: exception.publicMessage, detail: exception.message, requestId: body.request_id });
    } else if (body.statusCode >= 500) {
      this.#logger.error({ msg: 'Unhandled error', err: exception, requestId: body.request_id });
    }
    if (reply.sent) return;
    if (body.statusCode === 401) reply.header('www-authenticate', 'Bearer');
    if (exception instanceof DomainError) void reply.headers(exception.headers);
    void reply.status(body.statusCode).header('content-type', JSON_CONTENT_TYPE).send(body);
  }
}
