import type { AnswerHeaders } from './answer-request.js';

/**
 * One `Vary` value from several (header values as a reply holds them, or none): each field once,
 * in order. Every part of the service that makes an answer depend on a request header adds to
 * `Vary` (CORS adds Origin, compression Accept-Encoding, streams Accept-Language, experiments
 * X-Client-Id): none may replace what another added, on either path.
 */
export function withVary(...values: (string | string[] | number | undefined)[]): string {
  // The hot path's case, one field added to none: no parsing, no allocation.
  if (values.length === 2 && values[0] === undefined && typeof values[1] === 'string' && isOneField(values[1])) {
    return values[1];
  }
  // The values come from the service's own few constants (CORS, compression, streams), so their
  // combinations are few: each is merged once. Header values hold no line feed.
  const key = values.join('\n');
  let merged = MERGED.get(key);
  if (merged === undefined) {
    merged = merge(values);
    if (MERGED.size >= MERGED_MAX) MERGED.clear();
    MERGED.set(key, merged);
  }
  return merged;
}

const MERGED = new Map<string, string>();
const MERGED_MAX = 256;

function merge(values: (string | string[] | number | undefined)[]): string {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const name of values.flatMap((value) => (value === undefined ? [] : String(value).split(',')))) {
    const trimmed = name.trim();
    const key = trimmed.toLowerCase();
    if (key === '*') return '*';
    if (trimmed === '' || seen.has(key)) continue;
    seen.add(key);
    kept.push(trimmed);
  }
  return kept.join(', ');
}

/** Sets an answer header, adding to `Vary` rather than replacing it. */
export function setAnswerHeader(reply: AnswerHeaders, name: string, value: string): void {
  void reply.header(name, name.toLowerCase() === 'vary' ? withVary(reply.getHeader('vary'), value) : value);
}

function isOneField(value: string): boolean {
  return value !== '' && value !== '*' && !value.includes(',') && value.trim() === value;
}
