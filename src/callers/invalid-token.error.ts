import { DomainError } from '../common/index.js';

/** The caller sent a token the service does not accept, or none where one is needed: 401. */
export class UnauthenticatedError extends DomainError {
  readonly status = 401;
  readonly code = 'unauthenticated';
}

/** The identity provider's keys could not be fetched: the caller is not at fault (503). */
export class IdentityProviderUnavailableError extends DomainError {
  readonly status = 503;
  readonly code = 'identity_provider_unavailable';

  override get publicMessage(): string {
    return 'The keys that verify tokens could not be fetched; try again in a moment';
  }
}
