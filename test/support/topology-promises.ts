import { createClient } from '@redis/client';
import { RedisKeys } from '../../src/plan-cache/redis/redis-keys.js';
import { eventually } from './eventually.js';
import { hs256Token, TEST_JWT_SECRET } from './jwks-server.js';
import { FakeOpenAiServer } from './fake-openai-server.js';
import { DEFAULT_LATENCY_MS, plannerVariables, PLANNER_KEY } from './openai-app.js';
import { askPlan } from './plan-requests.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';
import type { Topology } from './redis-topologies.js';
import { bearer, startTestApp, type TestApp } from './test-app.js';

export interface TopologyInstances {
  topology: () => Topology;
  apps: () => TestApp[];
  openai: FakeOpenAiServer;
  /** One more instance like the others; closed with them. */
  start(extra?: Record<string, string>): Promise<TestApp>;
}

/**
 * Two service instances on one Redis deployment (started by `startTopology`) and one PostgreSQL
 * database, planning through a fake OpenAI server; torn down in the reverse order.
 */
export function useInstancesOnTopology(
  startTopology: () => Promise<Topology>,
  variables: Record<string, string> = {},
): TopologyInstances {
  const openai = new FakeOpenAiServer(PLANNER_KEY);
  const apps: TestApp[] = [];
  let topology: Topology | undefined;
  let database: TestDatabase | undefined;
  const start = async (extra: Record<string, string> = {}) => {
    const app = await startTestApp({
      DATABASE_URL: database!.url,
      ...plannerVariables(openai),
      ...topology!.variables(),
      LIMIT_ANONYMOUS_GENERATIONS_PER_MINUTE: '100000',
      // A failover takes seconds: calls to a primary being replaced end at this deadline.
      REDIS_TIMEOUT_MS: '1000',
      ...variables,
      ...extra,
    });
    apps.push(app);
    // An instance may start before its first connection to the deployment is up (a TLS handshake
    // under a loaded machine); what the suites promise is about instances on Redis.
    await eventually(
      async () => (await app.http.get('/health/ready')).body.details?.redis?.status === 'up',
      30_000,
      'the instance on Redis',
    );
    return app;
  };
  beforeAll(async () => {
    await openai.start();
    topology = await startTopology();
    database = await createTestDatabase();
    for (let i = 0; i < 2; i++) await start();
  }, 180_000);
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await topology?.stop();
    await database?.drop();
    await openai.stop();
  }, 60_000);
  beforeEach(() => {
    openai.reset();
    openai.latencyMs = DEFAULT_LATENCY_MS;
  });
  return {
    topology: () => topology!,
    apps: () => apps,
    openai,
    start,
  };
}

let goals = 0;
const uniqueGoal = (label: string) => `${label} ${++goals} on a highly available Redis`;

/** What every Redis deployment must keep: the tests each mode runs alike. */
export function itKeepsTheCachePromises(instances: TopologyInstances): void {
  const { apps, openai } = instances;

  it('answers a plan one instance generated from the shared tier on the other', async () => {
    const [a, b] = apps();
    const goal = uniqueGoal('Shared');
    expect((await askPlan(a, goal).expect(200)).body.source).toBe('generator');
    const hit = await askPlan(b, goal).expect(200);
    expect(hit.body).toMatchObject({ cached: true, source: 'l2' });
    expect(openai.calls).toBe(1);
  });

  it('makes one planner call for concurrent misses on both instances', async () => {
    const [a, b] = apps();
    const goal = uniqueGoal('Stampede');
    openai.latencyMs = 1000;
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => askPlan(i % 2 ? a : b, goal).expect(200)));
    expect(new Set(answers.map((answer) => answer.body.plan)).size).toBe(1);
    expect(openai.calls).toBe(1);
  });

  it('shows a billing change on the other instance once it is acknowledged', async () => {
    const [a, b] = apps();
    const priceOf = async (app: TestApp) =>
      ((await app.http.get('/api/plans?user_id=1').expect(200)).body as { id: number; price: string }[]).find(
        (plan) => plan.id === 1,
      )?.price;
    await priceOf(a);
    await priceOf(b);
    for (const price of ['3.10', '3.20', '3.30']) {
      await a.http.patch('/api/plans/1').set(bearer()).send({ price }).expect(200);
      await eventually(async () => (await priceOf(b)) === price, 5000, `instance b lists ${price}`);
      expect(await priceOf(a)).toBe(price);
    }
  });

  it('clears a plan everywhere from one instance', async () => {
    const [a, b] = apps();
    const goal = uniqueGoal('Cleared');
    await askPlan(a, goal).expect(200);
    await askPlan(b, goal).expect(200);
    await a.http.post('/api/plan-cache/clear').query({ goal }).set(bearer()).expect(200);
    await eventually(async () => (await askPlan(b, goal, { 'cache-control': 'only-if-cached' })).status === 504, 5000);
  });

  /** Two more instances whose callers have budgets: signed-in callers 2 plans a minute, tenants 350 tokens a day. */
  let limitedPair: Promise<TestApp[]> | undefined;
  const limitedInstances = () =>
    (limitedPair ??= (async () => {
      const limits = {
        AUTH_JWT_SECRET: TEST_JWT_SECRET,
        LIMIT_AUTHENTICATED_GENERATIONS_PER_MINUTE: '2',
        LIMIT_TENANT_DAILY_TOKENS: '350',
      };
      return [await instances.start(limits), await instances.start(limits)];
    })());

  it('counts one generation budget across instances', async () => {
    const limited = await limitedInstances();
    const caller = { authorization: `Bearer ${await hs256Token({ sub: `budget-${Date.now()}` })}` };
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await askPlan(limited[i % 2], uniqueGoal('Budget'), caller)).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
  });

  it('reserves and settles one tenant token budget across instances', async () => {
    const limited = await limitedInstances();
    // Three people of one tenant (each within their own 2 plans a minute).
    const tenant = `acme-${Date.now()}`;
    const member = async (sub: string) => ({ authorization: `Bearer ${await hs256Token({ sub, tenant })}` });
    openai.usage = { prompt_tokens: 100, completion_tokens: 100 };
    await askPlan(limited[0], uniqueGoal('Tokens'), await member('alice')).expect(200); // 200 spent
    await askPlan(limited[1], uniqueGoal('Tokens'), await member('bob')).expect(200); // 400 spent
    const refused = await askPlan(limited[0], uniqueGoal('Tokens'), await member('carol'));
    expect(refused.status).toBe(429);
    expect(refused.headers['ratelimit-policy']).toBe('"tenant-daily-tokens";q=350;w=86400');
    expect(openai.calls).toBe(2);
  });

  it('says in readiness and /metrics which deployment it runs on', async () => {
    const [a] = apps();
    const ready = await a.http.get('/health/ready').expect(200);
    expect(ready.body.info.redis).toMatchObject({ status: 'up', mode: instances.topology().variables().REDIS_MODE });
    expect(ready.body.info.redis.primaries.length).toBeGreaterThan(0);
    const metrics = (await a.http.get('/metrics').expect(200)).text;
    expect(metrics).toMatch(
      new RegExp(
        `plan_cache_redis_primaries\\{mode="${ready.body.info.redis.mode}",address="127\\.0\\.0\\.1:\\d+"\\} 1`,
      ),
    );
  });
}

/** Keys of `prefix` on a node, counted by SCAN as the admin. */
export async function countKeys(topology: Topology, port: number, pattern: string): Promise<number> {
  const client = createClient(topology.adminOptions(port));
  client.on('error', () => undefined);
  await client.connect();
  try {
    let count = 0;
    for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 1000 })) count += keys.length;
    return count;
  } finally {
    client.destroy();
  }
}

/** The Redis key of a billing list, as the engine names it on `topology`. */
const listKey = (topology: Topology, list: string): string =>
  new RedisKeys('plan-cache', topology.variables().REDIS_MODE === 'cluster').entry('plans', list);

const priceOf = async (app: TestApp, planId = 1): Promise<string | undefined> =>
  ((await app.http.get('/api/plans?user_id=1').expect(200)).body as { id: number; price: string }[]).find(
    (plan) => plan.id === planId,
  )?.price;

/**
 * What a failover must keep. Run last in a block: it kills a primary. The promoted replica lacks
 * the last invalidation its old primary acknowledged, and still holds the entry that invalidation
 * removed, stamped with versions it still has.
 */
export function itKeepsThePromisesThroughAFailover(instances: TopologyInstances): void {
  const { apps, openai } = instances;

  it('never serves a list an acknowledged write changed, when the primary dies before its replica has the change', async () => {
    const [a, b] = apps();
    const before = await priceOf(a);
    await priceOf(b);
    const changed = before === '11.11' ? '22.22' : '11.11';
    const answers: number[] = [];
    const reads = Array.from({ length: 2 }, async () => {
      // Readers all along: none may fail while Redis fails over (they are answered from the database).
      for (let i = 0; i < 40; i++) {
        answers.push(
          (await a.http.get('/api/plans?user_id=2')).status,
          (await b.http.get('/api/plans?user_id=2')).status,
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    await instances.topology().crashPrimaryLosingWrites(listKey(instances.topology(), 'plans:user_1'), async () => {
      await a.http.patch('/api/plans/1').set(bearer()).send({ price: changed }).expect(200);
    });
    await Promise.all(reads);
    expect(answers.every((status) => status === 200)).toBe(true);
    // Every read after the acknowledgement, on either instance, shows the change.
    for (let i = 0; i < 5; i++) {
      expect(await priceOf(a)).toBe(changed);
      expect(await priceOf(b)).toBe(changed);
    }
    await eventually(async () => (await a.http.get('/health/ready')).body.info?.redis?.failovers >= 1, 30_000);
  });

  it('has the bus, the single flight and the shared tier back after the failover', async () => {
    const [a, b] = apps();
    // Back: Redis answers, and each instance's breaker, opened by the failures of the failover,
    // has closed again (while it is open, each instance loads on its own).
    await eventually(async () => {
      const states = await Promise.all(
        [a, b].map(async (app) => (await app.http.get('/health/ready')).body.info?.redis),
      );
      return states.every((redis) => redis?.status === 'up' && redis?.breaker === 'closed');
    }, 30_000);
    // The bus: a write on one instance reaches the other.
    await priceOf(b);
    await a.http.patch('/api/plans/1').set(bearer()).send({ price: '33.33' }).expect(200);
    await eventually(async () => (await priceOf(b)) === '33.33', 10_000, 'the write reaches the other instance');
    // The shared tier and the single flight.
    const goal = `After the failover ${Date.now()}`;
    openai.latencyMs = 1000;
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => askPlan(i % 2 ? a : b, goal).expect(200)));
    expect(new Set(answers.map((answer) => answer.body.plan)).size).toBe(1);
    expect(openai.calls).toBe(1);
    // A third instance has it from Redis (one started before, or a new one preloading it).
    const c = apps()[2] ?? (await instances.start());
    const fromRedis = await askPlan(c, goal).expect(200);
    expect(fromRedis.body).toMatchObject({ cached: true, source: expect.stringMatching(/^l[12]$/) });
    expect(openai.calls).toBe(1);
  });
}
