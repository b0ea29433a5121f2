import { createHash } from 'node:crypto';
import type { Caller } from '../../callers/caller.js';

/**
 * A caller as an entry or an observation records it (who made a plan, who gave feedback): equal
 * for one caller, 132 bits of a digest, and no subject or address in the cache or the database.
 */
export const callerTag = (caller: Caller): string =>
  createHash('sha256').update(caller.budgetKey).digest('base64url').slice(0, 22);
