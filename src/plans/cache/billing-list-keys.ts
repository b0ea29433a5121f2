import type { BillingPlanScope } from '../billing-plan-events.js';

const NAMESPACE = 'plans';
/** As the list query accepts it: digits (leading zeros allowed), 1 to 2^31 - 1. */
const USER_ID = /^[0-9]{1,12}$/;
const MAX_USER_ID = 2_147_483_647;
const CONNECTION_TYPE = /^[a-z]{1,32}$/;
const FILTERS = new Set(['user_id', 'connection_type']);

function forFilter(filter: { user_id?: number; connection_type?: string }): string {
  let key = NAMESPACE;
  if (filter.user_id !== undefined) key += `:user_${filter.user_id}`;
  if (filter.connection_type !== undefined) key += `:type_${filter.connection_type}`;
  return key;
}

/**
 * The key for a raw query string object: every spelling of one list maps to its one key
 * (`user_id=007` and `user_id=7` alike), so that one list never hides under two keys that
 * invalidation would have to know about. Undefined for a query the list route refuses with 400
 * (unknown or repeated parameters, a user id out of range): no query reaches the database
 * without passing the cache.
 */
function forQuery(query: unknown): string | undefined {
  if (query === null || typeof query !== 'object') return NAMESPACE;
  const params = query as Record<string, unknown>;
  for (const name of Object.keys(params)) if (!FILTERS.has(name)) return undefined;
  const { user_id: userId, connection_type: type } = params;
  let user: number | undefined;
  if (userId !== undefined) {
    if (typeof userId !== 'string' || !USER_ID.test(userId)) return undefined;
    user = Number(userId);
    if (user < 1 || user > MAX_USER_ID) return undefined;
  }
  if (type !== undefined && (typeof type !== 'string' || !CONNECTION_TYPE.test(type))) return undefined;
  return forFilter({ user_id: user, connection_type: type });
}

/** Every list a plan with this scope appears in. */
function containing(scope: BillingPlanScope): string[] {
  return [
    NAMESPACE,
    forFilter({ user_id: scope.user_id }),
    forFilter({ connection_type: scope.connection_type }),
    forFilter(scope),
  ];
}

/** The lists a change touches: those holding the plan before it and those holding it after. */
function touchedBy(before: BillingPlanScope | undefined, after: BillingPlanScope | undefined): string[] {
  const keys = new Set<string>();
  for (const scope of [before, after]) if (scope) for (const key of containing(scope)) keys.add(key);
  return [...keys];
}

/**
 * Keys of the cached billing-plan lists: `plans`, `plans:user_<id>`, `plans:type_<type>`,
 * `plans:user_<id>:type_<type>`.
 */
export const BillingListKeys = { namespace: NAMESPACE, forFilter, forQuery, containing, touchedBy } as const;
