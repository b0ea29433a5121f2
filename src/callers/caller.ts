import { addressKey } from './address-key.js';

/**
 * Who makes a request, and from where: what limits, scopes and the right to replace shared
 * plans are decided by. Anonymous callers are told apart by address (behind TRUST_PROXY).
 */
export interface Caller {
  kind: 'anonymous' | 'authenticated';
  /** Whose budget a generation is taken from: `address:<ip>` (an IPv6 /64, see addressKey) or `subject:<sub>`. */
  budgetKey: string;
  /** The token's `sub`; undefined for anonymous callers. */
  subject?: string;
  /** The AUTH_TENANT_CLAIM claim, else the subject; undefined for anonymous callers and the operator. */
  tenant?: string;
  /** The request comes from a page of another site (Sec-Fetch-Site, or an Origin not allowed). */
  crossSite: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by CallerGuard on the routes it guards. */
    caller?: Caller;
  }
}

export function anonymousCaller(address: string, crossSite: boolean): Caller {
  return { kind: 'anonymous', budgetKey: `address:${addressKey(address)}`, crossSite };
}

export function authenticatedCaller(subject: string, tenant: string | undefined, crossSite: boolean): Caller {
  return { kind: 'authenticated', budgetKey: `subject:${subject}`, subject, tenant, crossSite };
}
