import { createHmac } from 'node:crypto';

/**
 * HMAC-SHA-256 of `value` under a server secret: what stands for a tenant, a subject or an address
 * where it must be recognised again but not read back. A plain digest of a name from a small space
 * (every IPv4 address, a list of user names) is reversed by hashing them all; without the secret
 * this one cannot be. Callers put a kind in `value` ("tenant:…", "address:…"): one name of two
 * kinds never gives one tag.
 */
export const keyedDigest = (secret: string, value: string): Buffer =>
  createHmac('sha256', secret).update(value, 'utf8').digest();
