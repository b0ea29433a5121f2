import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { secretMatcher } from './secret-match.js';

/** RFC 6750 §2.1: `Bearer`, in any case, one or more spaces, the token. */
const BEARER = /^Bearer +(\S+) *$/i;

/** The token of an `Authorization: Bearer <token>` header; undefined when absent or malformed. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
}

/**
 * A shared secret presented as a bearer token (ADMIN_TOKEN, METRICS_TOKEN), compared in constant
 * time: 401 without a bearer token (the answer says `WWW-Authenticate: Bearer`, see
 * HttpExceptionFilter), 403 with another one. `name` is what the messages call it ("admin token"),
 * `variable` where the operator sets it.
 */
export class BearerSecret {
  readonly #matches: (token: string) => boolean;

  constructor(
    secret: string,
    private readonly name: string,
    private readonly variable: string,
  ) {
    this.#matches = secretMatcher(secret);
  }

  /** Throws unless `authorization` presents the secret. */
  check(authorization: string | undefined): void {
    const token = bearerToken(authorization);
    if (token === undefined) {
      throw new UnauthorizedException(`Send the ${this.name} as "Authorization: Bearer <${this.variable}>"`);
    }
    if (!this.#matches(token)) throw new ForbiddenException(`The ${this.name} is not valid`);
  }
}
