import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { cappedFetch } from '../common/index.js';
import { SUBJECT_TENANT_PREFIX, tenantOfSubject } from './caller.js';
import { IdentityProviderUnavailableError, UnauthenticatedError } from './invalid-token.error.js';
import { VerifiedClaimsCache, type VerifiedClaims } from './verified-claims.js';

export interface TokenVerifierSettings {
  jwksUrl?: string;
  jwtSecret?: string;
  issuer?: string;
  audience?: string;
  tenantClaim: string;
  /** A token without the tenant claim is refused; else its subject is a tenant of its own. */
  tenantRequired: boolean;
}

/** Asymmetric algorithms only for JWKS keys: an HMAC "signed" with a public key is refused. */
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/**
 * A token naming a key id the cached set lacks makes jose fetch the set again, at most this
 * often: a rotated key is honoured within seconds, and unknown key ids cannot flood the provider.
 */
const REFETCH_COOLDOWN_MS = 5_000;
/**
 * Bytes read of the key set: jose bounds its fetch in time only. Large sets (Azure AD's, with
 * certificate chains) are about 10 KB.
 */
const JWKS_MAX_BYTES = 256 * 1024;
/** Clock difference tolerated between the identity provider and this host. */
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Verifies bearer JWTs with jose, against the identity provider's JWKS (fetched, cached, and
 * fetched again for a key id it does not know: rotation) or an HS256 secret, checking the
 * issuer and audience when configured. Every token must expire (`exp`): a token once verified is
 * remembered until then.
 */
export class TokenVerifier {
  readonly #key: JWTVerifyGetKey | Uint8Array;
  readonly #algorithms: string[];
  readonly #verified = new VerifiedClaimsCache();

  constructor(private readonly settings: TokenVerifierSettings) {
    if (settings.jwksUrl) {
      this.#key = createRemoteJWKSet(new URL(settings.jwksUrl), {
        cooldownDuration: REFETCH_COOLDOWN_MS,
        [customFetch]: cappedFetch(JWKS_MAX_BYTES),
      });
      this.#algorithms = JWKS_ALGORITHMS;
    } else {
      this.#key = new TextEncoder().encode(settings.jwtSecret);
      this.#algorithms = ['HS256'];
    }
  }

  /** The claims of a token verified before and not expired yet; no work beyond a lookup. */
  remembered(token: string): VerifiedClaims | undefined {
    return this.#verified.get(token);
  }

  async verify(token: string): Promise<VerifiedClaims> {
    const known = this.#verified.get(token);
    if (known) return known;
    const payload = await this.#verifySignatureAndClaims(token);
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new UnauthenticatedError('The token has no subject (sub claim)');
    }
    const claims = { subject: payload.sub, tenant: this.#tenantOf(payload, payload.sub) };
    // jose has checked that exp is there and in the future.
    this.#verified.remember(token, claims, payload.exp!);
    return this.#verified.get(token) ?? { ...claims, expiresAt: Date.now() };
  }

  /**
   * The tenant claim; without it, the subject's own tenant, never a tenant a claim names: a
   * token `{sub: "acme"}` is not tenant acme.
   */
  #tenantOf(payload: JWTPayload, subject: string): string {
    const { tenantClaim, tenantRequired } = this.settings;
    const claimed = payload[tenantClaim];
    if (typeof claimed === 'string' && claimed !== '') {
      if (claimed.startsWith(SUBJECT_TENANT_PREFIX)) {
        throw new UnauthenticatedError(
          `The token's ${tenantClaim} claim may not start with "${SUBJECT_TENANT_PREFIX}": those names are subjects' own`,
        );
      }
      return claimed;
    }
    if (tenantRequired) {
      throw new UnauthenticatedError(
        `The token names no tenant (${tenantClaim} claim): this service serves tenants only`,
      );
    }
    return tenantOfSubject(subject);
  }

  async #verifySignatureAndClaims(token: string): Promise<JWTPayload> {
    try {
      const options = {
        algorithms: this.#algorithms,
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      };
      const { payload } =
        this.#key instanceof Uint8Array
          ? await jwtVerify(token, this.#key, options)
          : await jwtVerify(token, this.#key, options);
      return payload;
    } catch (error) {
      throw refusalOf(error);
    }
  }
}

/** Why a token was refused, in words a client can act on. */
function refusalOf(error: unknown): Error {
  if (error instanceof errors.JWKSTimeout || isFetchFailure(error)) {
    return new IdentityProviderUnavailableError(`The JWKS could not be fetched: ${(error as Error).message}`);
  }
  if (error instanceof errors.JWTExpired) return new UnauthenticatedError('The token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'exp')
      return new UnauthenticatedError('The token does not expire (no exp claim): send one that does');
    const messages: Record<string, string> = {
      nbf: 'The token is not valid yet (nbf is in the future)',
      iat: 'The token was issued in the future (iat)',
      iss: 'The token was issued by an issuer this service does not accept (iss)',
      aud: 'The token is meant for another audience (aud)',
    };
    return new UnauthenticatedError(messages[error.claim] ?? `The token's ${error.claim} claim is not valid`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new UnauthenticatedError('The token is signed with an algorithm this service does not accept');
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new UnauthenticatedError('The token is signed with a key the identity provider does not publish');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new UnauthenticatedError('The token signature is not valid');
  }
  return new UnauthenticatedError('The bearer token is not a valid signed JWT');
}

/** jose surfaces a JWKS fetch that failed (refused connection, HTTP error) as a plain or JOSE error. */
function isFetchFailure(error: unknown): boolean {
  if (error instanceof errors.JOSEError)
    return error.code === 'ERR_JOSE_GENERIC' && /JSON Web Key Set|fetch/i.test(error.message);
  return error instanceof TypeError || (error instanceof Error && error.name === 'AbortError');
}
