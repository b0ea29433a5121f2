import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { bearerToken, secretMatcher, type AnswerRequest } from '../common/index.js';
import { AppConfig } from '../config/index.js';
import { anonymousCaller, authenticatedCaller, operatorCaller, type Caller } from './caller.js';
import { UnauthenticatedError } from './invalid-token.error.js';
import { isCrossSite } from './request-site.js';
import { TokenVerifier } from './token-verifier.js';

/**
 * Tells who calls: the operator (the admin token, which is not a JWT), an authenticated caller
 * (a bearer JWT, verified), or an anonymous one (by address), when anonymous callers are served.
 * A bearer token that does not verify is refused, never taken for anonymous.
 */
@Injectable()
export class CallerResolver {
  readonly #verifier?: TokenVerifier;
  readonly #isAdminToken: (token: string) => boolean;
  readonly #anonymousAllowed: boolean;
  readonly #allowedOrigins: ReadonlySet<string>;

  constructor(config: AppConfig) {
    const { auth } = config;
    if (auth.jwksUrl || auth.jwtSecret) this.#verifier = new TokenVerifier(auth);
    this.#isAdminToken = secretMatcher(config.admin.token);
    this.#anonymousAllowed = auth.anonymous;
    this.#allowedOrigins = new Set(config.corsOrigins);
  }

  /**
   * The caller, if it is known without waiting (anonymous, the operator, or a token verified
   * before): for answers from memory. Undefined sends the request the full way.
   */
  known(request: AnswerRequest): Caller | undefined {
    if (!wellFormedAuthorization(request)) return undefined;
    const token = bearerOf(request);
    const crossSite = isCrossSite(request, this.#allowedOrigins);
    if (token === undefined) return this.#anonymousAllowed ? anonymousCaller(request.ip, crossSite) : undefined;
    return this.#rememberedCaller(token, crossSite) ?? this.#operator(token, crossSite);
  }

  /**
   * A token verified before, looked up first: the admin token is compared as a digest (see
   * secretMatcher), which costs a signed-in caller's cached hit a fifth of its throughput. The
   * admin token is never verified as a JWT (it is recognized first), so it is never remembered.
   */
  #rememberedCaller(token: string, crossSite: boolean): Caller | undefined {
    const claims = this.#verifier?.remembered(token);
    return claims && authenticatedCaller(claims.subject, claims.tenant, crossSite);
  }

  #operator(token: string, crossSite: boolean): Caller | undefined {
    return this.#isAdminToken(token) ? operatorCaller(crossSite) : undefined;
  }

  async resolve(request: FastifyRequest): Promise<Caller> {
    const token = bearerOf(request);
    const crossSite = isCrossSite(request, this.#allowedOrigins);
    if (token === undefined) {
      if (this.#anonymousAllowed) return anonymousCaller(request.ip, crossSite);
      throw new UnauthenticatedError(
        'This service answers authenticated callers only: send Authorization: Bearer <JWT>',
      );
    }
    const known = this.#rememberedCaller(token, crossSite) ?? this.#operator(token, crossSite);
    if (known) return known;
    if (!this.#verifier) {
      throw new UnauthenticatedError(
        'This service verifies no bearer tokens (neither AUTH_JWKS_URL nor AUTH_JWT_SECRET is set): send none',
      );
    }
    const claims = await this.#verifier.verify(token);
    return authenticatedCaller(claims.subject, claims.tenant, crossSite);
  }
}

function wellFormedAuthorization(request: Pick<AnswerRequest, 'headers'>): boolean {
  const header = request.headers.authorization;
  return header === undefined || bearerToken(header) !== undefined;
}

/** The bearer token, if the request has an Authorization header; a malformed one is refused. */
function bearerOf(request: Pick<AnswerRequest, 'headers'>): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const token = bearerToken(header);
  if (token === undefined) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"');
  return token;
}
