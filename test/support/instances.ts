import { createTestDatabase, type TestDatabase } from './postgres.js';
import { leaseSharedRedis, TestRedisServer, type SharedRedisLease, type TestRedis } from './redis-server.js';
import { startTestApp, type TestApp } from './test-app.js';

/** The variables of an app on `redis` (under its prefix, if it has one). */
export const sharedRedisVariables = ({ url, prefix }: { url: string; prefix?: string }): Record<string, string> => ({
  PLAN_CACHE_REDIS_ENABLED: 'true',
  REDIS_URL: url,
  ...(prefix !== undefined && { REDIS_KEY_PREFIX: prefix }),
});

export interface InstancesOptions {
  /**
   * `own`: a redis-server of the block's own, which its tests may stop and start again
   * (REDIS_SERVER); `shared`: one it may share under a key prefix of its own (REDIS).
   */
  redis: 'own' | 'shared';
  /** How many start before the tests, one after the other (a rolling start); 2 by default. */
  count?: number;
  /** One PostgreSQL database of their own for all (POSTGRES); else one each (`startTestApp`). */
  postgres?: boolean;
  /** What every instance is configured with; a function when a value is known only once the suite started. */
  variables?: Record<string, string> | (() => Record<string, string>);
}

export interface Instances {
  apps: () => TestApp[];
  /** One more instance like the others, `variables` added; closed with them after the block. */
  start(variables?: Record<string, string>): Promise<TestApp>;
  /** The Redis they share. */
  redis: () => TestRedis;
  /** With `redis: 'own'`: its server, to stop and start again. */
  redisServer: () => TestRedisServer;
}

/**
 * Instances of the service sharing one Redis (and, with `postgres`, one database), for one
 * describe block: Redis and the database come before the instances and go after them, so that
 * no instance closes against a Redis already gone.
 */
export function useInstancesOnRedis({
  redis,
  count = 2,
  postgres = false,
  variables = {},
}: InstancesOptions): Instances {
  const apps: TestApp[] = [];
  let server: TestRedisServer | undefined;
  let lease: SharedRedisLease | undefined;
  let database: TestDatabase | undefined;

  const sharedRedis = (): TestRedis => {
    if (server) return { url: server.url, prefix: 'plan-cache' };
    if (lease) return lease.redis;
    throw new Error('the Redis of these instances is not ready');
  };
  const start = async (extra: Record<string, string> = {}) => {
    const app = await startTestApp({
      ...(database && { DATABASE_URL: database.url }),
      ...sharedRedisVariables(sharedRedis()),
      ...(typeof variables === 'function' ? variables() : variables),
      ...extra,
    });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    if (redis === 'own') {
      server = await TestRedisServer.started();
    } else {
      lease = await leaseSharedRedis();
    }
    if (postgres) database = await createTestDatabase();
    // One after the other: the later ones find the schema migrated and the lists warm in Redis.
    for (let i = 0; i < count; i++) await start();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await server?.kill();
    await lease?.release();
    await database?.drop();
  });
  return {
    apps: () => apps,
    start,
    redis: sharedRedis,
    redisServer: () => {
      if (!server) throw new Error('these instances have no redis-server of their own (redis: own)');
      return server;
    },
  };
}
