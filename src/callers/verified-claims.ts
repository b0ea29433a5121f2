/** What the service takes from a verified token. */
export interface VerifiedClaims {
  subject: string;
  tenant?: string;
  /** Epoch milliseconds after which the token is no longer accepted. */
  expiresAt: number;
}

/**
 * Tokens already verified, until they expire, so that a cached hit costs a map lookup and not a
 * signature check. Bounded: the oldest verified token is forgotten first (it is verified again
 * if it comes back).
 */
export class VerifiedClaimsCache {
  readonly #claims = new Map<string, VerifiedClaims>();

  constructor(private readonly maxTokens = 10_000) {}

  get(token: string, now = Date.now()): VerifiedClaims | undefined {
    const claims = this.#claims.get(token);
    if (claims === undefined) return undefined;
    if (claims.expiresAt > now) return claims;
    this.#claims.delete(token);
    return undefined;
  }

  /** `exp`: the token's, in epoch seconds (tokens without one are refused before they come here). */
  remember(token: string, claims: Omit<VerifiedClaims, 'expiresAt'>, exp: number, now = Date.now()): void {
    const expiresAt = exp * 1000;
    if (expiresAt <= now) return;
    if (this.#claims.size >= this.maxTokens) this.#claims.delete(this.#claims.keys().next().value!);
    this.#claims.set(token, { ...claims, expiresAt });
  }

  get size(): number {
    return this.#claims.size;
  }
}
