import { createTestDatabase, type TestDatabase } from '../../test/support/postgres.js';
import { TestRedisServer } from '../../test/support/redis-server.js';
import { startService, type Running } from '../support/processes.js';

/** Several instances sharing one Redis and one PostgreSQL database of their own. */
export interface Cluster {
  redis: TestRedisServer;
  database: TestDatabase;
  instances: Running[];
  stop(): Promise<void>;
}

export async function startCluster(size: number, environment: Record<string, string> = {}): Promise<Cluster> {
  // The database first: without TEST_DATABASE_URL it fails before any server is left running.
  const database = await createTestDatabase();
  const redis = await TestRedisServer.create();
  await redis.start();
  const shared = {
    PLAN_CACHE_REDIS_ENABLED: 'true',
    REDIS_URL: redis.url,
    DATABASE_URL: database.url,
    // The clients are one address: faults are judged here, not the anonymous list budget.
    LIMIT_ANONYMOUS_LIST_LOADS_PER_MINUTE: '1000000',
    ...environment,
  };
  const instances = await Promise.all(Array.from({ length: size }, () => startService(shared)));
  return {
    redis,
    database,
    instances,
    async stop() {
      await Promise.all(instances.map((instance) => instance.stop()));
      await redis.kill();
      await database.drop();
    },
  };
}
