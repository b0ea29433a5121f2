import { Injectable } from '@nestjs/common';
import type { Caller } from '../../callers/index.js';
import { keyedDigest } from '../../common/index.js';
import { AppConfig } from '../../config/index.js';

/** Characters of base64url kept: 132 bits. */
const TAG_CHARACTERS = 22;

/**
 * A caller as an entry or an observation records it (who made a plan, who gave feedback): equal
 * for one caller, and no subject or address in the cache or the database. Keyed by
 * PLAN_CACHE_SCOPE_SECRET, as tenants' tags are (PlanScopes): an unkeyed digest of
 * `address:<ip>` is undone by hashing the 2³² IPv4 addresses.
 */
@Injectable()
export class CallerTags {
  readonly #secret: string;

  constructor(config: AppConfig) {
    this.#secret = config.cacheScopeSecret;
  }

  of(caller: Caller): string {
    return keyedDigest(this.#secret, caller.budgetKey).toString('base64url').slice(0, TAG_CHARACTERS);
  }
}
