import type { AnswerRequest } from '../common/index.js';

/**
 * Whether a request comes from a page of another site: the browser says so (`Sec-Fetch-Site:
 * cross-site`), or it names an `Origin` that is neither this service's own nor one of
 * CORS_ORIGINS. A listed origin is trusted to start work like the service's own pages.
 */
export function isCrossSite(request: Pick<AnswerRequest, 'headers'>, allowedOrigins: ReadonlySet<string>): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined && allowedOrigins.has(origin)) return false;
  if (request.headers['sec-fetch-site'] === 'cross-site') return true;
  if (origin === undefined) return false;
  return !isOwnOrigin(origin, request.headers.host);
}

function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined || origin === 'null') return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
