/** What decides which cached billing-plan lists a plan appears in. */
export interface PlanListScope {
  user_id: number;
  connection_type: string;
}

const NAMESPACE = 'plans';
const CANONICAL_USER_ID = /^[1-9][0-9]{0,9}$/;
const CANONICAL_CONNECTION_TYPE = /^[a-z]{1,32}$/;
const FILTERS = new Set(['user_id', 'connection_type']);

function forFilter(filter: { user_id?: number; connection_type?: string }): string {
  let key = NAMESPACE;
  if (filter.user_id !== undefined) key += `:user_${filter.user_id}`;
  if (filter.connection_type !== undefined) key += `:type_${filter.connection_type}`;
  return key;
}

/**
 * The key for a raw query string object, or undefined when the query is not in canonical form
 * (unknown or repeated parameters, `user_id=007`): such requests bypass the cache, so one list
 * never hides under two keys that invalidation would have to know about.
 */
function forQuery(query: unknown): string | undefined {
  if (query === null || typeof query !== 'object') return NAMESPACE;
  const params = query as Record<string, unknown>;
  for (const name of Object.keys(params)) if (!FILTERS.has(name)) return undefined;
  const { user_id: userId, connection_type: type } = params;
  if (userId !== undefined && (typeof userId !== 'string' || !CANONICAL_USER_ID.test(userId))) return undefined;
  if (type !== undefined && (typeof type !== 'string' || !CANONICAL_CONNECTION_TYPE.test(type))) return undefined;
  return forFilter({ user_id: userId === undefined ? undefined : Number(userId), connection_type: type });
}

/** Every list a plan with this scope appears in. */
function containing(scope: PlanListScope): string[] {
  return [
    NAMESPACE,
    forFilter({ user_id: scope.user_id }),
    forFilter({ connection_type: scope.connection_type }),
    forFilter(scope),
  ];
}

/** The lists a change touches: those holding the plan before it and those holding it after. */
function touchedBy(before: PlanListScope | undefined, after: PlanListScope | undefined): string[] {
  const keys = new Set<string>();
  for (const scope of [before, after]) if (scope) for (const key of containing(scope)) keys.add(key);
  return [...keys];
}

/**
 * Keys of the cached billing-plan lists: `plans`, `plans:user_<id>`, `plans:type_<type>`,
 * `plans:user_<id>:type_<type>`.
 */
export const PlanListKeys = { namespace: NAMESPACE, forFilter, forQuery, containing, touchedBy } as const;
