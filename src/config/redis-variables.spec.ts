import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, InvalidConfigurationError } from './app-config.js';

function problemsOf(variables: Record<string, string>): string {
  try {
    AppConfig.from(variables);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(variables)} to be refused`);
}

describe('Redis deployment variables', () => {
  let dir: string;
  let caFile: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'redis-variables-'));
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a Sentinel set, its master name and password, an ACL user and TLS with a CA file', () => {
    const { redis } = AppConfig.from({
      REDIS_MODE: 'sentinel',
      REDIS_SENTINELS: 'sentinel-1:26379, [::1]:26380,10.0.0.3:26381',
      REDIS_SENTINEL_MASTER: 'plan-cache',
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
      REDIS_USERNAME: 'app',
      REDIS_PASSWORD: 'app-secret',
      REDIS_TLS: 'true',
      REDIS_TLS_CA_FILE: caFile,
    });
    expect(redis.topology).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: 'sentinel-1', port: 26379 },
        { host: '::1', port: 26380 },
        { host: '10.0.0.3', port: 26381 },
      ],
      masterName: 'plan-cache',
      sentinelPassword: 'sentinel-secret',
    });
    expect(redis).toMatchObject({
      username: 'app',
      password: 'app-secret',
      tls: { ca: expect.stringContaining('BEGIN') },
    });
  });

  it('reads cluster seeds, and takes TLS from a rediss:// URL in standalone mode', () => {
    expect(
      AppConfig.from({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'redis-1:6379,redis-2:6379' }).redis.topology,
    ).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'redis-1', port: 6379 },
        { host: 'redis-2', port: 6379 },
      ],
    });
    expect(AppConfig.from({ REDIS_URL: 'rediss://cache:6380' }).redis.tls).toEqual({ ca: undefined });
    expect(AppConfig.from({ REDIS_URL: 'redis://cache:6379' }).redis.tls).toBeUndefined();
  });

  it.each([
    [{ REDIS_MODE: 'primary' }, 'REDIS_MODE must be one of standalone, sentinel, cluster'],
    [{ REDIS_MODE: 'sentinel', REDIS_SENTINEL_MASTER: 'm' }, 'REDIS_MODE=sentinel needs REDIS_SENTINELS'],
    [{ REDIS_MODE: 'sentinel', REDIS_SENTINELS: 'a:1' }, 'REDIS_MODE=sentinel needs REDIS_SENTINEL_MASTER'],
    [{ REDIS_MODE: 'cluster' }, 'REDIS_MODE=cluster needs REDIS_CLUSTER_NODES'],
    [{ REDIS_SENTINELS: 'a:26379' }, 'REDIS_SENTINELS is read only with REDIS_MODE=sentinel'],
    [{ REDIS_CLUSTER_NODES: 'a:6379' }, 'REDIS_CLUSTER_NODES is read only with REDIS_MODE=cluster'],
    [
      { REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'a:6379', REDIS_URL: 'redis://a:6379' },
      'REDIS_URL is read only with REDIS_MODE=standalone',
    ],
    [
      { REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'a:6379,b' },
      'REDIS_CLUSTER_NODES must be a comma-separated list of host:port',
    ],
    [{ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'a:70000' }, 'REDIS_CLUSTER_NODES has a port outside 1-65535'],
    [{ REDIS_URL: 'redis://user:pw@a:6379', REDIS_PASSWORD: 'other' }, 'REDIS_URL carries a user or password'],
    [{ REDIS_URL: 'rediss://a:6380', REDIS_TLS: 'false' }, 'REDIS_TLS=false contradicts REDIS_URL'],
    [{ REDIS_TLS_CA_FILE: '/etc/ca.pem' }, 'REDIS_TLS_CA_FILE is read only with TLS'],
    [
      { REDIS_TLS: 'true', REDIS_TLS_CA_FILE: '/nonexistent/ca.pem' },
      'REDIS_TLS_CA_FILE=/nonexistent/ca.pem cannot be read',
    ],
  ])('refuses %j, naming the variable', (variables, message) => {
    expect(problemsOf(variables as Record<string, string>)).toContain(message);
  });

  it('never shows a Redis or Sentinel password in its messages', () => {
    expect(problemsOf({ REDIS_URL: 'redis://app:url-hunter2@cache 6379' })).not.toContain('hunter2');
    const message = problemsOf({
      REDIS_MODE: 'cluster',
      REDIS_PASSWORD: 'app-hunter2',
      REDIS_SENTINEL_PASSWORD: 'sentinel-hunter2',
    });
    expect(message).toContain('REDIS_SENTINEL_PASSWORD is read only with REDIS_MODE=sentinel');
    expect(message).not.toContain('hunter2');
  });
});
