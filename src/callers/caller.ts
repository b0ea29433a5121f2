import { addressKey } from './address-key.js';

/**
 * Who makes a request, and from where: what limits, scopes and the right to replace shared
 * plans are decided by. Anonymous callers are told apart by address (behind TRUST_PROXY).
 */
export interface Caller {
  kind: 'anonymous' | 'authenticated';
  /**
   * Who the caller is to every per-caller count (budgets, open streams): `address:<ip>` (an IPv6 /64, see addressKey),
   * `subject:<sub>`, or `operator` for the admin token; no token's `sub` can name another's.
   */
  budgetKey: string;
  /** The token's `sub`; undefined for anonymous callers and the operator. */
  subject?: string;
  /**
   * The tenant: the AUTH_TENANT_CLAIM claim, or, for a token without it (when AUTH_TENANT_REQUIRED
   * allows one), `subject:<sub>`, a tenant of its own that no claim can name (see tenantOfSubject).
   * Undefined for anonymous callers and the operator.
   */
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

/** Tenant names of this form are never taken from a claim: they are subjects' own tenants. */
export const SUBJECT_TENANT_PREFIX = 'subject:';

/** The tenant of a caller whose token names none: its own, apart from every tenant a claim names. */
export function tenantOfSubject(subject: string): string {
  return `${SUBJECT_TENANT_PREFIX}${subject}`;
}

export function anonymousCaller(address: string, crossSite: boolean): Caller {
  return { kind: 'anonymous', budgetKey: `address:${addressKey(address)}`, crossSite };
}

export function authenticatedCaller(subject: string, tenant: string | undefined, crossSite: boolean): Caller {
  return { kind: 'authenticated', budgetKey: `subject:${subject}`, subject, tenant, crossSite };
}

/** The holder of the admin token: signed in, on the shared scope, with a budget no JWT's `sub` shares. */
export function operatorCaller(crossSite: boolean): Caller {
  return { kind: 'authenticated', budgetKey: 'operator', crossSite };
}
