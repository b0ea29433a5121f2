import { createHmac } from 'node:crypto';
import { authenticatedCaller, anonymousCaller, operatorCaller, tenantOfSubject } from '../../callers/caller.js';
import { AppConfig } from '../../config/app-config.js';
import { PlanScopes } from './plan-scope.js';

const SECRET = 'a-scope-secret-of-at-least-thirty-two-characters';
const scopes = (variables: Record<string, string> = {}) =>
  new PlanScopes(AppConfig.from({ PLAN_CACHE_SCOPE: 'tenant', PLAN_CACHE_SCOPE_SECRET: SECRET, ...variables }));
const request = { goal: 'Ship the release', projectContext: 'ctx' };

describe('PlanScopes', () => {
  it("tags a tenant's keys with 128 bits of HMAC-SHA-256 of its name under the secret", () => {
    const identity = scopes().identityFor(request, authenticatedCaller('alice', 'acme', false));
    const tag = createHmac('sha256', SECRET).update('tenant:acme').digest('hex').slice(0, 32);
    expect(identity.key).toMatch(new RegExp(`^plan:${tag}:[0-9a-f]{16}$`));
    expect(identity).toMatchObject({ scope: tag, tenant: 'acme' });
  });

  it('gives another secret other tags, and a subject named like a tenant never that tenant’s', () => {
    const acme = scopes().identityFor(request, authenticatedCaller('alice', 'acme', false));
    const otherSecret = scopes({ PLAN_CACHE_SCOPE_SECRET: `another-${SECRET}` });
    expect(otherSecret.identityFor(request, authenticatedCaller('alice', 'acme', false)).key).not.toBe(acme.key);
    const subject = scopes().identityFor(request, authenticatedCaller('acme', tenantOfSubject('acme'), false));
    expect(subject.scope).not.toBe(acme.scope);
  });

  it('keeps anonymous callers, the operator and every caller of the shared scope on `plan:<16 hex>`', () => {
    expect(scopes().identityFor(request, anonymousCaller('10.0.0.1', false)).key).toMatch(/^plan:[0-9a-f]{16}$/);
    expect(scopes().identityFor(request, operatorCaller(false)).key).toMatch(/^plan:[0-9a-f]{16}$/);
    const shared = new PlanScopes(AppConfig.from({}));
    expect(shared.identityFor(request, authenticatedCaller('alice', 'acme', false)).key).toMatch(/^plan:[0-9a-f]{16}$/);
  });

  it('names the same plan for the operator as for the tenant', () => {
    const asked = scopes().identityFor(request, authenticatedCaller('alice', 'acme', false));
    expect(scopes().identityOf('Ship the release', 'ctx', 'acme').key).toBe(asked.key);
  });
});
