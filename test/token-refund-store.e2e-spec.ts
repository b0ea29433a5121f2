import { TenantTokens } from '../src/callers/tenant-tokens.js';
import { RedisConnection } from '../src/plan-cache/redis/redis-connection.js';
import { standaloneAt, useRedisServer } from './support/redis-server.js';
import { describeWith, REDIS_SERVER } from './support/services.js';

const LIMIT = 100;
const PROMPT = 10;

/**
 * A tenant's reservation taken while Redis was away (in this process's counters) and settled once
 * it is back, against a redis-server of its own that the test kills and starts again.
 */
describeWith(REDIS_SERVER)('Token refunds go back to the counters they were taken from', () => {
  const server = useRedisServer();
  let redis: RedisConnection;
  beforeAll(async () => {
    redis = new RedisConnection({
      access: standaloneAt(server().url),
      keyPrefix: 'refund-store',
      timeoutMs: 200,
      breakerResetMs: 100,
    });
    redis.start();
    expect(await redis.ready(5_000)).toBe(true);
  });
  afterAll(async () => {
    await redis.close();
  });

  it('never refunds into Redis what was reserved in memory during an outage: Redis is not driven below zero', async () => {
    const tokens = new TenantTokens(LIMIT, 1_000, redis);
    await server().kill();
    // Redis away: this process's counters reserve the whole day.
    const inMemory = await tokens.reserve('acme', PROMPT);
    expect(inMemory.maxTokens).toBe(LIMIT - PROMPT);
    await server().start();
    expect(await redis.ready(10_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the breaker half-opens
    // The call used 10: 90 go back, to the counters the reservation came from.
    await inMemory.settle(PROMPT);
    // Redis (empty since its restart) lends at most the budget, not the budget plus a refund it never gave.
    const shared = await tokens.reserve('acme', PROMPT);
    expect(shared.promptTokens + shared.maxTokens).toBeLessThanOrEqual(LIMIT);
    expect(await redis.client.get(redis.keys.scoped('limit', 'tenant-tokens') + ':' + dayKey('acme'))).toBe(
      String(LIMIT),
    );
  });
});

function dayKey(tenant: string): string {
  return `${tenant}:${new Date().toISOString().slice(0, 10)}`;
}
