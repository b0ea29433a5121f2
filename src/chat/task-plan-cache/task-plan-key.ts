import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** Who a task plan is for: its key and what is checked on read, so that a collision is a miss. */
export interface TaskPlanIdentity {
  /** `plan:` + the first 16 hex digits of sha256(normalized goal + ":" + context). */
  key: string;
  /** The normalized goal, stored in the entry and compared on read. */
  goal: string;
  /** sha256 of the project context (empty when absent), stored and compared on read. */
  contextHash: string;
  /** The tenant's tag when plans are cached per tenant (PLAN_CACHE_SCOPE=tenant, see PlanScopes); undefined: shared. */
  scope?: string;
  /** The tenant whose scope that is, for counting by scope; never stored. */
  tenant?: string;
}

/** A tenant's own plans: its name, and the tag its keys carry instead of it (PlanScopes makes it). */
export interface TenantScope {
  tenant: string;
  tag: string;
}

const NAMESPACE = 'plan';

/** Unicode NFKC, trimmed, runs of white space made one space, lower case (Cyrillic included). */
function normalizeGoal(goal: string): string {
  return goal.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Identities of recent requests: a hot goal asked again costs a lookup instead of its
 * normalization and two SHA-256. Only short requests are kept (bounded memory: 1,024 × 2 KB).
 */
const recentIdentities = new LRUCache<string, Readonly<TaskPlanIdentity>>({ max: 1024 });
const RECENT_IDENTITY_MAX_CHARS = 2048;

/** The identity of a plan; with `tenant`, of that tenant's own plan: `plan:<tenant tag>:<16 hex>`. */
function identify(goal: string, projectContext?: string, tenant?: TenantScope): Readonly<TaskPlanIdentity> {
  // Lengths first: no goal or tenant text can make two requests one key.
  const owner = tenant === undefined ? '' : `${tenant.tag}${tenant.tenant}`;
  const request = `${tenant?.tenant.length ?? -1}:${goal.length}:${owner}${goal}${projectContext ?? ''}`;
  if (request.length > RECENT_IDENTITY_MAX_CHARS) return identityOf(goal, projectContext, tenant);
  let identity = recentIdentities.get(request);
  if (identity === undefined) recentIdentities.set(request, (identity = identityOf(goal, projectContext, tenant)));
  return identity;
}

function identityOf(goal: string, projectContext?: string, tenant?: TenantScope): Readonly<TaskPlanIdentity> {
  const normalized = normalizeGoal(goal);
  const context = projectContext ?? '';
  const hash = sha256(`${normalized}:${context}`).slice(0, 16);
  const scope = tenant?.tag;
  return Object.freeze({
    key: scope === undefined ? `${NAMESPACE}:${hash}` : `${NAMESPACE}:${scope}:${hash}`,
    goal: normalized,
    contextHash: sha256(context),
    scope,
    tenant: tenant?.tenant,
  });
}

export const TaskPlanKey = { namespace: NAMESPACE, normalizeGoal, identify } as const;
