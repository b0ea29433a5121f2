import { FakeOpenAiServer } from './fake-openai-server.js';
import type { TestRedisServer } from './redis-server.js';
import { startTestApp, temporaryDataDir, useTestApp, type TestApp } from './test-app.js';

export const PLANNER_KEY = 'sk-test-planner-key';

/** The variables of an app that plans through `openai`, keeping plans that took 0.2 s. */
export const plannerVariables = (openai: FakeOpenAiServer): Record<string, string> => ({
  PLANNER_PROVIDER: 'openai',
  PLANNER_BASE_URL: openai.url,
  PLANNER_API_KEY: PLANNER_KEY,
  PLAN_CACHE_MIN_GEN_TIME: '0.2',
});

/** The variables of an app sharing `redis` (a server of the suite's, under its own prefix). */
export const sharedRedisVariables = (redis: { url: string; prefix: string }): Record<string, string> => ({
  PLAN_CACHE_REDIS_ENABLED: 'true',
  REDIS_URL: redis.url,
  REDIS_KEY_PREFIX: redis.prefix,
});

/**
 * A fake OpenAI server and an app that plans through it, for one describe block. Generations
 * slower than 0.2 s are cached; the fake takes 0.25 s unless a test says otherwise.
 */
export function useOpenAiApp(variables: Record<string, string> | (() => Record<string, string>) = {}): {
  app: () => TestApp;
  openai: FakeOpenAiServer;
} {
  const openai = new FakeOpenAiServer(PLANNER_KEY);
  beforeAll(() => openai.start());
  afterAll(() => openai.stop());
  beforeEach(() => {
    openai.reset();
    openai.latencyMs = DEFAULT_LATENCY_MS;
  });
  const app = useTestApp(() => ({
    ...plannerVariables(openai),
    PLANNER_MODEL: 'test-model',
    PLANS_CACHE_WARM: 'false',
    SSE_HEARTBEAT_MS: '200',
    ...(typeof variables === 'function' ? variables() : variables),
  }));
  return { app, openai };
}

export const DEFAULT_LATENCY_MS = 250;

/**
 * Two apps, each with an embedded database of its own, sharing the suite's redis-server (call
 * `useRedisServer()` first) and planning through one fake OpenAI server, for one describe block.
 */
export function useOpenAiInstancesOnRedis(
  redis: () => TestRedisServer,
  variables: Record<string, string>,
): { apps: () => TestApp[]; openai: FakeOpenAiServer } {
  const openai = new FakeOpenAiServer(PLANNER_KEY);
  const dirs: { remove: () => void }[] = [];
  let apps: TestApp[] = [];
  beforeAll(async () => {
    await openai.start();
    apps = await Promise.all(
      [1, 2].map(() => {
        const data = temporaryDataDir();
        dirs.push(data);
        return startTestApp({
          DATA_DIR: data.dir,
          PLANS_CACHE_WARM: 'false',
          ...plannerVariables(openai),
          PLAN_CACHE_REDIS_ENABLED: 'true',
          REDIS_URL: redis().url,
          ...variables,
        });
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await openai.stop();
    for (const dir of dirs) dir.remove();
  });
  return { apps: () => apps, openai };
}
