import { FakeOpenAiServer } from './fake-openai-server.js';
import { useTestApp, type TestApp } from './test-app.js';

export const PLANNER_KEY = 'sk-test-planner-key';

/**
 * A fake OpenAI server and an app that plans through it, for one describe block. Generations
 * slower than 0.2 s are cached; the fake takes 0.25 s unless a test says otherwise.
 */
export function useOpenAiApp(variables: Record<string, string> = {}): { app: () => TestApp; openai: FakeOpenAiServer } {
  const openai = new FakeOpenAiServer(PLANNER_KEY);
  beforeAll(() => openai.start());
  afterAll(() => openai.stop());
  beforeEach(() => {
    openai.reset();
    openai.latencyMs = DEFAULT_LATENCY_MS;
  });
  const app = useTestApp(() => ({
    PLANNER_PROVIDER: 'openai',
    PLANNER_BASE_URL: openai.url,
    PLANNER_API_KEY: PLANNER_KEY,
    PLANNER_MODEL: 'test-model',
    PLAN_CACHE_MIN_GEN_TIME: '0.2',
    PLANS_CACHE_WARM: 'false',
    SSE_HEARTBEAT_MS: '200',
    ...variables,
  }));
  return { app, openai };
}

export const DEFAULT_LATENCY_MS = 250;
