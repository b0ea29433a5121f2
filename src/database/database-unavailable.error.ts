import { SpanKind } from '@opentelemetry/api';
import { inSpan } from '../tracing/index.js';
import { DomainError } from '../common/index.js';

/** Socket errors, and SQLSTATEs saying the server or the database is not there to answer. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '3D000', // invalid_catalog_name: the configured database is gone
]);
const UNAVAILABLE_MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /not queryable/i];

/** The database cannot answer now: the request may succeed later, and nothing was written. */
export class DatabaseUnavailableError extends DomainError {
  readonly status = 503;
  readonly code = 'database_unavailable';

  constructor(cause: unknown) {
    super('The database is not available; try again shortly', { cause });
  }
}

/** Whether an error (or one of its causes: Drizzle wraps the driver's) means the database is unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    const { code } = current as { code?: unknown };
    const { message } = current;
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
    if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = current.cause;
  }
  return false;
}

/**
 * Runs a query as a database span named by its operation and table (`SELECT billing_plans`); an
 * unreachable database becomes a {@link DatabaseUnavailableError} (503).
 */
export function queryOrUnavailable<T>(query: () => Promise<T>, operation = 'query', table?: string): Promise<T> {
  const attributes = {
    'db.system.name': 'postgresql',
    'db.operation.name': operation,
    ...(table && { 'db.collection.name': table }),
  };
  return inSpan(table ? `${operation} ${table}` : operation, { kind: SpanKind.CLIENT, attributes }, async () => {
    try {
      return await query();
    } catch (error) {
      throw isDatabaseUnavailable(error) ? new DatabaseUnavailableError(error) : error;
    }
  });
}
