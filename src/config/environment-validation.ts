import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { EnvironmentVariables } from './environment.schema.js';
import { isLoopbackAddress } from './loopback-address.js';
import { redactUrls } from './redact-url.js';
import { redisProblemsOf } from './redis-variables.js';

export class InvalidConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'InvalidConfigurationError';
  }
}

/**
 * Validates raw variables (strings, as the environment holds them). Unknown variables are ignored;
 * every invalid one is named in the error, with its value (hidden for secrets).
 */
export function validateEnvironment(variables: Record<string, string | undefined>): EnvironmentVariables {
  const known = Object.fromEntries(
    Object.entries(variables).filter(([name, value]) => name in TEMPLATE && value !== undefined),
  );
  const env = plainToInstance(EnvironmentVariables, known);
  const errors = validateSync(env, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new InvalidConfigurationError(errors.flatMap(describe));
  const conflicts = conflictsOf(env);
  if (conflicts.length > 0) throw new InvalidConfigurationError(conflicts);
  return env;
}

/** Class fields are defined even when optional (ES2022 semantics), so this lists every variable. */
const TEMPLATE = new EnvironmentVariables();

const SECRETS = new Set([
  'ADMIN_TOKEN',
  'PLANNER_API_KEY',
  'AUTH_JWT_SECRET',
  'PLAN_CACHE_SCOPE_SECRET',
  'METRICS_TOKEN',
  'REDIS_PASSWORD',
  'REDIS_SENTINEL_PASSWORD',
]);

/** Settings valid one by one that make no sense together. */
function conflictsOf(env: EnvironmentVariables): string[] {
  const problems: string[] = redisProblemsOf(env);
  if (env.AUTH_JWKS_URL && env.AUTH_JWT_SECRET) {
    problems.push('Set AUTH_JWKS_URL or AUTH_JWT_SECRET, not both: tokens are verified one way');
  }
  if (!env.AUTH_ANONYMOUS && !env.AUTH_JWKS_URL && !env.AUTH_JWT_SECRET) {
    problems.push('AUTH_ANONYMOUS=false needs AUTH_JWKS_URL or AUTH_JWT_SECRET: no caller could be verified');
  }
  if (env.METRICS_TENANT_LABEL && env.OPS_PORT === undefined && env.METRICS_TOKEN === undefined) {
    problems.push(
      'METRICS_TENANT_LABEL=true puts tenant names in /metrics: set OPS_PORT (an internal listener) or METRICS_TOKEN (a bearer token for /metrics) so that they are never public',
    );
  }
  const opsHost = env.OPS_HOST ?? env.HOST;
  if (
    env.METRICS_TENANT_LABEL &&
    env.OPS_PORT !== undefined &&
    env.METRICS_TOKEN === undefined &&
    !isLoopbackAddress(opsHost)
  ) {
    problems.push(
      `METRICS_TENANT_LABEL=true with OPS_PORT on OPS_HOST=${opsHost} (not a loopback address) serves tenant names to whoever reaches that address: set METRICS_TOKEN (Prometheus sends it as a bearer token), or OPS_HOST=127.0.0.1`,
    );
  }
  if (env.OPS_PORT !== undefined && env.OPS_PORT !== 0 && env.OPS_PORT === env.PORT) {
    problems.push(`OPS_PORT must differ from PORT (both ${env.PORT}): the internal listener needs a port of its own`);
  }
  if (env.NODE_ENV === 'production') problems.push(...productionProblemsOf(env));
  return problems;
}

/** What production may not leave to defaults: whose tokens are taken, and the key of tenants' tags. */
function productionProblemsOf(env: EnvironmentVariables): string[] {
  const problems: string[] = [];
  if (env.AUTH_JWKS_URL || env.AUTH_JWT_SECRET) {
    if (!env.AUTH_ISSUER) {
      problems.push(
        'AUTH_ISSUER must be set in production when tokens are verified: tokens of any issuer would be taken',
      );
    }
    if (!env.AUTH_AUDIENCE && !env.AUTH_ALLOW_ANY_AUDIENCE) {
      problems.push(
        'AUTH_AUDIENCE must be set in production when tokens are verified (tokens meant for other services would be taken), or AUTH_ALLOW_ANY_AUDIENCE=true',
      );
    }
  }
  if (env.PLAN_CACHE_SCOPE === 'tenant' && !env.PLAN_CACHE_SCOPE_SECRET) {
    problems.push(
      "PLAN_CACHE_SCOPE_SECRET must be set in production with PLAN_CACHE_SCOPE=tenant (at least 32 characters, the same on every instance): it keys tenants' tags",
    );
  }
  return problems;
}

function describe(error: ValidationError): string[] {
  const value = SECRETS.has(error.property) ? '(hidden)' : redactUrls(String(JSON.stringify(error.value)));
  return Object.values(error.constraints ?? {}).map((message) => `${message} (got ${value})`);
}
