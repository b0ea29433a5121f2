import { AppConfig } from '../src/config/app-config.js';
import { experimentCountersKey, PlanExperiments } from '../src/chat/task-plan-cache/experiments/plan-experiments.js';
import { RedisConnection } from '../src/plan-cache/redis/redis-connection.js';
import { eventually } from './support/eventually.js';
import { useExperimentFile } from './support/experiment-file.js';
import { LatencyProxy } from './support/latency-proxy.js';
import { standaloneAt, useSharedRedis } from './support/redis-server.js';
import { describeWith, REDIS } from './support/services.js';
import { TEST_ENVIRONMENT } from './support/test-app.js';

describeWith(REDIS)('Experiment counts shared through Redis over a slow link', () => {
  const redis = useSharedRedis();
  const file = useExperimentFile({
    name: 'slow-link',
    variants: [
      { name: 'control', weight: 1 },
      { name: 'other', weight: 1 },
    ],
  });
  let proxy: LatencyProxy;
  let connection: RedisConnection;
  let experiments: PlanExperiments;

  beforeAll(async () => {
    proxy = await LatencyProxy.for(redis().url);
    connection = new RedisConnection({
      access: standaloneAt(proxy.url),
      keyPrefix: redis().prefix,
      timeoutMs: 200,
      breakerResetMs: 200,
    });
    connection.start();
    await connection.ready(5_000);
    const config = AppConfig.from({ ...TEST_ENVIRONMENT, PLAN_CACHE_EXPERIMENTS_FILE: file });
    experiments = new PlanExperiments(config, connection);
  });

  afterAll(async () => {
    await experiments?.beforeApplicationShutdown();
    await connection?.close();
    await proxy?.stop();
  });

  it('adds a flush once when Redis applied it but answered after the deadline', async () => {
    const [control] = experiments.policies;
    for (let i = 0; i < 5; i++) experiments.recordRequest(control, 10);
    proxy.replyDelayMs = 400; // past the 200 ms deadline: each flush is applied, but looks failed
    expect(await experiments.flush()).toBe(false);
    experiments.recordRequest(control, 10);
    expect(await experiments.flush()).toBe(false); // sent again before the first reply came back
    proxy.replyDelayMs = 0;
    await new Promise((resolve) => setTimeout(resolve, 600)); // late replies land; the breaker lets calls through
    await eventually(async () => (await experiments.flush()) === true, 5_000);
    const counters = await connection.client.hGetAll(experimentCountersKey(connection.keys, 'slow-link', 'control'));
    expect(Number(counters.requests)).toBe(6);
    expect(Number(counters.latencyMsSum)).toBe(60);
  });
});
