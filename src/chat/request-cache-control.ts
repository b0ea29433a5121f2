/** Whether a request's `Cache-Control` asks for a new answer rather than a cached one (RFC 9111 `no-cache`). */
export function wantsRegeneration(cacheControl: string | undefined): boolean {
  if (!cacheControl) return false;
  return cacheControl.split(',').some((directive) => directive.trim().toLowerCase().split('=')[0] === 'no-cache');
}
