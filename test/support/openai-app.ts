import { FakeOpenAiServer } from './fake-openai-server.js';
import { useInstancesOnRedis, type Instances, type InstancesOptions } from './instances.js';
import { useTestApp, type TestApp } from './test-app.js';

export const PLANNER_KEY = 'sk-test-planner-key';

/** The variables of an app that plans through `openai`, keeping plans that took 0.2 s. */
export const plannerVariables = (openai: FakeOpenAiServer): Record<string, string> => ({
  PLANNER_PROVIDER: 'openai',
  PLANNER_BASE_URL: openai.url,
  PLANNER_API_KEY: PLANNER_KEY,
  PLAN_CACHE_MIN_GEN_TIME: '0.2',
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
 * Instances sharing a Redis (see useInstancesOnRedis) that plan through one fake OpenAI server,
 * for one describe block; the server is reset before each test, as in {@link useOpenAiApp}.
 */
export function useOpenAiInstancesOnRedis(options: InstancesOptions): Instances & { openai: FakeOpenAiServer } {
  const openai = new FakeOpenAiServer(PLANNER_KEY);
  beforeAll(() => openai.start());
  beforeEach(() => {
    openai.reset();
    openai.latencyMs = DEFAULT_LATENCY_MS;
  });
  const { variables = {} } = options;
  const instances = useInstancesOnRedis({
    ...options,
    variables: () => ({
      PLANS_CACHE_WARM: 'false',
      ...plannerVariables(openai),
      PLANNER_MODEL: 'test-model',
      ...(typeof variables === 'function' ? variables() : variables),
    }),
  });
  // After the instances' own teardown: they close before their planner goes.
  afterAll(() => openai.stop());
  return { ...instances, openai };
}
