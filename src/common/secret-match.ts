import { createHash, timingSafeEqual } from 'node:crypto';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Whether a presented token is `secret`, compared as digests so that the comparison takes the
 * same time whatever the token (no length or prefix leaks). No secret matches nothing.
 */
export function secretMatcher(secret: string | undefined): (candidate: string) => boolean {
  if (secret === undefined) return () => false;
  const expected = digest(secret);
  return (candidate) => timingSafeEqual(digest(candidate), expected);
}
