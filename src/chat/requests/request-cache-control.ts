import type { IncomingHttpHeaders } from 'node:http';
import { BadRequestException } from '@nestjs/common';

/** What a request asks of the task-plan cache (RFC 9111 §5.2.1 request directives). */
export interface CacheDirectives {
  /** Regenerate and replace the cached plan. */
  noCache: boolean;
  /** Generate, without reading or writing the cache. */
  noStore: boolean;
  /** `max-age`: accept a cached plan only if it is at most this old (milliseconds, as every duration inside). */
  maxAgeMs?: number;
  /** Answer from the cache or not at all (504); never call the planner. */
  onlyIfCached: boolean;
  /** Only a plan cached for exactly this goal: no plan of a near-duplicate goal (an extension of ours). */
  exact: boolean;
}

export const NO_DIRECTIVES: CacheDirectives = Object.freeze({
  noCache: false,
  noStore: false,
  onlyIfCached: false,
  exact: false,
});

/** RFC 9111 §1.2.2: larger delta-seconds are taken as 2^31. */
const MAX_DELTA_SECONDS = 2 ** 31;

/**
 * The directives of a `Cache-Control` value. Names are case-insensitive; unknown directives and
 * malformed arguments (`max-age=soon`) are ignored, as RFC 9111 §5.2 asks; of several `max-age`,
 * the strictest holds.
 */
export function parseCacheControl(value: string | undefined): CacheDirectives {
  if (!value) return NO_DIRECTIVES;
  const directives: CacheDirectives = { ...NO_DIRECTIVES };
  for (const part of value.split(',')) {
    const [rawName, ...rest] = part.split('=');
    const name = rawName.trim().toLowerCase();
    const argument = rest
      .join('=')
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (name === 'no-cache') directives.noCache = true;
    else if (name === 'no-store') directives.noStore = true;
    else if (name === 'only-if-cached') directives.onlyIfCached = true;
    else if (name === 'exact') directives.exact = true;
    else if (name === 'max-age' && /^\d+$/.test(argument)) {
      const ms = Math.min(Number(argument), MAX_DELTA_SECONDS) * 1000;
      directives.maxAgeMs = Math.min(ms, directives.maxAgeMs ?? ms);
    }
  }
  return directives;
}

/** Whether a request's `Cache-Control` header says any directive (then the full path judges it). */
export function sendsDirectives(request: { headers: IncomingHttpHeaders }): boolean {
  return hasDirectives(parseCacheControl(request.headers['cache-control']));
}

export function hasDirectives(directives: CacheDirectives): boolean {
  return (
    directives.noCache ||
    directives.noStore ||
    directives.onlyIfCached ||
    directives.exact ||
    directives.maxAgeMs !== undefined
  );
}

/** The directives as a header would say them: `no-cache, max-age=60`. */
export function describeDirectives(directives: CacheDirectives): string {
  const parts = [
    directives.noCache && 'no-cache',
    directives.noStore && 'no-store',
    directives.maxAgeMs !== undefined && `max-age=${directives.maxAgeMs / 1000}`,
    directives.onlyIfCached && 'only-if-cached',
    directives.exact && 'exact',
  ].filter((part): part is string => typeof part === 'string');
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** The body's `cache` object, for clients that cannot set headers. */
export interface CacheObject {
  no_cache?: boolean;
  no_store?: boolean;
  max_age?: number;
  only_if_cached?: boolean;
  exact?: boolean;
}

export function directivesOfObject(cache: CacheObject | undefined): CacheDirectives {
  if (!cache) return NO_DIRECTIVES;
  return {
    noCache: cache.no_cache === true,
    noStore: cache.no_store === true,
    maxAgeMs: cache.max_age === undefined ? undefined : cache.max_age * 1000,
    onlyIfCached: cache.only_if_cached === true,
    exact: cache.exact === true,
  };
}

/**
 * The request's directives, from the `Cache-Control` header and the body's `cache` object: either
 * may say them; when both do, they must say the same (else 400).
 */
export function requestDirectives(header: string | undefined, cache: CacheObject | undefined): CacheDirectives {
  const fromHeader = parseCacheControl(header);
  const fromBody = directivesOfObject(cache);
  if (!hasDirectives(fromBody)) return fromHeader;
  if (!hasDirectives(fromHeader)) return fromBody;
  if (describeDirectives(fromHeader) !== describeDirectives(fromBody)) {
    throw new BadRequestException(
      `The Cache-Control header (${describeDirectives(fromHeader)}) and the body's cache ` +
        `(${describeDirectives(fromBody)}) disagree: send the directives once, or the same in both`,
    );
  }
  return fromHeader;
}
