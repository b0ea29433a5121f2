import { FakeOpenAiServer } from './support/fake-openai-server.js';
import { freePort } from './support/free-port.js';
import { PLANNER_KEY } from './support/openai-app.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { useSharedRedis } from './support/redis-server.js';
import { buildService, ServiceProcess } from './support/service-process.js';
import { describeWith, POSTGRES, REDIS } from './support/services.js';
import { eventually } from './support/eventually.js';
import { fetchPlan } from './support/plan-requests.js';

const GENERATION_MS = 3_000;
const LEASE_MS = 3_000;

interface Instance {
  service: ServiceProcess;
  planner: FakeOpenAiServer;
  base: string;
}

/**
 * The experiment of the hardening review: three instances as processes, 30 identical misses, and
 * `kill -9` of the instance that holds the generation lock. The survivors take over when its
 * lease runs out, not after a long fixed lock life.
 */
describeWith(REDIS, POSTGRES)('A lock holder killed in the middle of a generation', () => {
  const redis = useSharedRedis();
  let database: TestDatabase;
  const instances: Instance[] = [];

  beforeAll(async () => {
    buildService();
    database = await createTestDatabase();
    for (let i = 0; i < 3; i++) {
      // A planner per instance, so that the one asked tells which instance generates.
      const planner = await new FakeOpenAiServer(PLANNER_KEY).start();
      planner.latencyMs = GENERATION_MS;
      const port = await freePort();
      const service = new ServiceProcess({
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: database.url,
        LOG_LEVEL: 'warn',
        PLAN_CACHE_REDIS_ENABLED: 'true',
        REDIS_URL: redis().url,
        REDIS_KEY_PREFIX: redis().prefix,
        PLAN_CACHE_LOCK_LEASE_MS: String(LEASE_MS),
        PLAN_CACHE_MIN_GEN_TIME: '0',
        PLANNER_PROVIDER: 'openai',
        PLANNER_BASE_URL: planner.url,
        PLANNER_API_KEY: PLANNER_KEY,
        PLANS_CACHE_WARM: 'false',
      });
      await service.listening(60_000);
      instances.push({ service, planner, base: `http://127.0.0.1:${port}` });
    }
  }, 120_000);

  afterAll(async () => {
    for (const { service, planner } of instances) {
      service.kill();
      await planner.stop();
    }
    await database?.drop();
  });

  // How soon the survivors take over (the lease, not a fixed lock life) is measured by
  // bench/stress/lock-holder-crash.ts; here, that they do, once, and after the holder died.
  it('answers every waiting request with one plan, a survivor taking over once the holder is killed', async () => {
    const ask = ({ base }: Instance) =>
      fetchPlan(base, 'survive a crashed generator').then(
        async (response) => ({ status: response.status, plan: ((await response.json()) as { plan?: string }).plan }),
        () => ({ status: 0, plan: undefined }), // the killed instance's own requests
      );
    const answers = instances.flatMap((instance) => Array.from({ length: 10 }, () => ask(instance)));
    await eventually(() => instances.some(({ planner }) => planner.calls > 0), 10_000, 'a generation started');
    const holder = instances.find(({ planner }) => planner.calls > 0)!;
    const survivors = instances.filter((instance) => instance !== holder);
    // The holder alone generates while it lives: the others wait for its plan.
    expect(instances.map(({ planner }) => planner.calls).reduce((sum, calls) => sum + calls)).toBe(1);
    holder.service.kill();
    await holder.service.exited;
    await eventually(() => survivors.some(({ planner }) => planner.calls > 0), 15_000, 'a survivor took over');
    const results = await Promise.all(answers);

    const fromSurvivors = results.filter((_, i) => instances[Math.floor(i / 10)] !== holder);
    expect(fromSurvivors).toHaveLength(20);
    expect(fromSurvivors.every(({ status }) => status === 200)).toBe(true);
    expect(new Set(fromSurvivors.map(({ plan }) => plan)).size).toBe(1);
    expect(survivors.reduce((sum, { planner }) => sum + planner.calls, 0)).toBe(1);
    const successor = survivors.find(({ planner }) => planner.calls === 1)!;
    expect(successor.planner.completed).toBe(1);
    expect(fromSurvivors[0].plan).toBe(successor.planner.answer('survive a crashed generator'));
    expect(holder.planner.completed).toBe(0);
  }, 60_000);
});
