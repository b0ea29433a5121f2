import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { Caller } from '../../callers/index.js';
import { keyedDigest } from '../../common/index.js';
import { AppConfig } from '../../config/index.js';
import type { PlannerRequest } from '../planner/planner.js';
import { TaskPlanKey, type TaskPlanIdentity, type TenantScope } from './task-plan-key.js';

/** Hex digits of a tenant's tag kept: 128 bits, beyond any search for another tenant's. */
const TAG_HEX_DIGITS = 32;

/**
 * Whose cache a caller's task plans live in: with PLAN_CACHE_SCOPE=tenant an authenticated
 * caller's are its tenant's own; anonymous callers and the operator share the public scope.
 * A tenant's keys carry a tag, HMAC-SHA-256 of its name under PLAN_CACHE_SCOPE_SECRET: no tenant
 * name in Redis keys or logs, and no name that can be chosen to land on another tenant's tag.
 */
@Injectable()
export class PlanScopes {
  readonly #perTenant: boolean;
  readonly #secret: string;
  /** Tags of recent tenants: a signed-in hit costs a lookup, not an HMAC. */
  readonly #tags = new LRUCache<string, string>({ max: 1024 });

  constructor(config: AppConfig) {
    this.#perTenant = config.cacheScope === 'tenant';
    this.#secret = config.cacheScopeSecret;
  }

  /** The identity of the plan `request` asks for, in the caller's scope. */
  identityFor(request: PlannerRequest, caller: Caller): TaskPlanIdentity {
    const tenant = this.#perTenant && caller.kind === 'authenticated' ? caller.tenant : undefined;
    return TaskPlanKey.identify(request.goal, request.projectContext, this.#scopeOf(tenant));
  }

  /** The identity of a plan of `tenant` (the shared one without), as an operator names it. */
  identityOf(goal: string, projectContext?: string, tenant?: string): TaskPlanIdentity {
    return TaskPlanKey.identify(goal, projectContext, this.#scopeOf(tenant));
  }

  #scopeOf(tenant: string | undefined): TenantScope | undefined {
    if (tenant === undefined) return undefined;
    let tag = this.#tags.get(tenant);
    if (tag === undefined) {
      tag = keyedDigest(this.#secret, `tenant:${tenant}`).toString('hex').slice(0, TAG_HEX_DIGITS);
      this.#tags.set(tenant, tag);
    }
    return { tenant, tag };
  }
}
