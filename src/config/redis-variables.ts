import { readFileSync } from 'node:fs';
import { IsIn, Matches } from 'class-validator';
import { BooleanSetting, IntSetting, OptionalBooleanSetting, OptionalStringSetting } from './setting-decorators.js';
import { parseHostPorts, type HostPort } from './host-port-list.js';
import { SemanticVariables } from './semantic-variables.js';

export const REDIS_MODES = ['standalone', 'sentinel', 'cluster'] as const;
export type RedisMode = (typeof REDIS_MODES)[number];

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const HOST_PORTS = /^\s*(\[[0-9a-fA-F:.]+\]|[^\s,[\]:]+):\d{1,5}(\s*,\s*(\[[0-9a-fA-F:.]+\]|[^\s,[\]:]+):\d{1,5})*\s*$/;

/** Where the service's Redis is, and how it is reached (ACL user, TLS). */
export class RedisVariables extends SemanticVariables {
  @BooleanSetting()
  PLAN_CACHE_REDIS_ENABLED = false;

  @BooleanSetting()
  REDIS_REQUIRED = false;

  @IsIn(REDIS_MODES, { message: `REDIS_MODE must be one of ${REDIS_MODES.join(', ')}` })
  REDIS_MODE: RedisMode = 'standalone';

  /** standalone: the server. Unset: redis://127.0.0.1:6379. */
  @OptionalStringSetting()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** sentinel: the Sentinels, `host:port,host:port`. */
  @OptionalStringSetting()
  @Matches(HOST_PORTS, { message: 'REDIS_SENTINELS must be a comma-separated list of host:port' })
  REDIS_SENTINELS?: string;

  /** sentinel: the name the Sentinels know the primary by. */
  @OptionalStringSetting()
  REDIS_SENTINEL_MASTER?: string;

  /** sentinel: the Sentinels' own password (`requirepass` of sentinel.conf), if any. */
  @OptionalStringSetting()
  REDIS_SENTINEL_PASSWORD?: string;

  /** cluster: some nodes of the cluster, `host:port,host:port`; the rest are discovered. */
  @OptionalStringSetting()
  @Matches(HOST_PORTS, { message: 'REDIS_CLUSTER_NODES must be a comma-separated list of host:port' })
  REDIS_CLUSTER_NODES?: string;

  /** The ACL user (also possible in REDIS_URL). */
  @OptionalStringSetting()
  REDIS_USERNAME?: string;

  @OptionalStringSetting()
  REDIS_PASSWORD?: string;

  /** TLS to every Redis node (and Sentinel); unset: as REDIS_URL's scheme says (rediss://). */
  @OptionalBooleanSetting()
  REDIS_TLS?: boolean;

  /** A PEM file of the certificate authorities to trust (else Node.js's bundled ones). */
  @OptionalStringSetting()
  REDIS_TLS_CA_FILE?: string;

  @IntSetting(1, 60000)
  REDIS_TIMEOUT_MS = 200;

  @Matches(/^[A-Za-z0-9._-]{1,64}$/, {
    message: 'REDIS_KEY_PREFIX must be 1 to 64 letters, digits, dots, dashes or underscores',
  })
  REDIS_KEY_PREFIX = 'plan-cache';
}

/** Which Redis deployment, and its addresses. */
export type RedisTopology =
  | { mode: 'standalone'; url: string }
  | { mode: 'sentinel'; sentinels: HostPort[]; masterName: string; sentinelPassword?: string }
  | { mode: 'cluster'; nodes: HostPort[] };

export interface RedisAccess {
  topology: RedisTopology;
  /** The ACL user and password; absent when REDIS_URL carries them (or none is needed). */
  username?: string;
  password?: string;
  /** TLS to every node; `ca` the PEM text of REDIS_TLS_CA_FILE. */
  tls?: { ca?: string };
}

/** What cannot go together among the Redis variables (each message names the variable to change). */
export function redisProblemsOf(env: RedisVariables): string[] {
  const problems: string[] = [];
  const { REDIS_MODE: mode } = env;
  const only = (name: keyof RedisVariables, wanted: RedisMode): void => {
    if (env[name] !== undefined && mode !== wanted)
      problems.push(
        `${name} is read only with REDIS_MODE=${wanted} (REDIS_MODE is ${mode}): unset it or change REDIS_MODE`,
      );
  };
  only('REDIS_URL', 'standalone');
  only('REDIS_SENTINELS', 'sentinel');
  only('REDIS_SENTINEL_MASTER', 'sentinel');
  only('REDIS_SENTINEL_PASSWORD', 'sentinel');
  only('REDIS_CLUSTER_NODES', 'cluster');
  if (mode === 'sentinel' && env.REDIS_SENTINELS === undefined)
    problems.push('REDIS_MODE=sentinel needs REDIS_SENTINELS (host:port of the Sentinels, comma-separated)');
  if (mode === 'sentinel' && env.REDIS_SENTINEL_MASTER === undefined)
    problems.push('REDIS_MODE=sentinel needs REDIS_SENTINEL_MASTER (the name the Sentinels know the primary by)');
  if (mode === 'cluster' && env.REDIS_CLUSTER_NODES === undefined)
    problems.push('REDIS_MODE=cluster needs REDIS_CLUSTER_NODES (host:port of some cluster nodes, comma-separated)');
  for (const name of ['REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const) {
    const wrong = parseHostPorts(env[name] ?? '').filter(({ port }) => port < 1 || port > 65535);
    if (wrong.length > 0)
      problems.push(`${name} has a port outside 1-65535 (${wrong.map(({ port }) => port).join(', ')})`);
  }
  const url = env.REDIS_URL === undefined ? undefined : safeUrl(env.REDIS_URL);
  if (url && (url.username || url.password) && (env.REDIS_USERNAME !== undefined || env.REDIS_PASSWORD !== undefined))
    problems.push(
      'REDIS_URL carries a user or password and REDIS_USERNAME or REDIS_PASSWORD is set too: give them once',
    );
  if (url?.protocol === 'rediss:' && env.REDIS_TLS === false)
    problems.push('REDIS_TLS=false contradicts REDIS_URL (rediss:// is TLS): change one of them');
  if (env.REDIS_TLS_CA_FILE !== undefined) {
    if (!tlsWanted(env))
      problems.push('REDIS_TLS_CA_FILE is read only with TLS: set REDIS_TLS=true (or a rediss:// REDIS_URL)');
    else if (readable(env.REDIS_TLS_CA_FILE) === undefined)
      problems.push(`REDIS_TLS_CA_FILE=${env.REDIS_TLS_CA_FILE} cannot be read: give the path of a PEM file`);
  }
  return problems;
}

/** The settings of a valid environment (see {@link redisProblemsOf}). */
export function redisAccessOf(env: RedisVariables): RedisAccess {
  const topology: RedisTopology =
    env.REDIS_MODE === 'sentinel'
      ? {
          mode: 'sentinel',
          sentinels: parseHostPorts(env.REDIS_SENTINELS ?? ''),
          masterName: env.REDIS_SENTINEL_MASTER ?? '',
          sentinelPassword: env.REDIS_SENTINEL_PASSWORD,
        }
      : env.REDIS_MODE === 'cluster'
        ? { mode: 'cluster', nodes: parseHostPorts(env.REDIS_CLUSTER_NODES ?? '') }
        : { mode: 'standalone', url: env.REDIS_URL ?? DEFAULT_REDIS_URL };
  const ca = env.REDIS_TLS_CA_FILE === undefined ? undefined : readable(env.REDIS_TLS_CA_FILE);
  return {
    topology,
    username: env.REDIS_USERNAME,
    password: env.REDIS_PASSWORD,
    tls: tlsWanted(env) ? { ca } : undefined,
  };
}

function tlsWanted(env: RedisVariables): boolean {
  return env.REDIS_TLS ?? (env.REDIS_MODE === 'standalone' && env.REDIS_URL?.startsWith('rediss://') === true);
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function readable(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
