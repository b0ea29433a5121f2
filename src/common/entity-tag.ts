import { createHash } from 'node:crypto';

/** A strong entity tag of exactly these bytes: the same bytes give the same tag on every instance. */
export function strongEtag(bytes: Buffer | string): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
}

/**
 * Whether `If-None-Match` matches `etag` (RFC 9110 §13.1.2): `*`, or any listed tag equal to it by
 * the weak comparison (a `W/` prefix on either side is ignored).
 */
export function noneMatch(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const wanted = opaque(etag);
  for (const candidate of ifNoneMatch.split(',')) {
    const tag = candidate.trim();
    if (tag === '*' || opaque(tag) === wanted) return true;
  }
  return false;
}

function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}
