import { chunksText, readSse } from './support/sse-client.js';
import { useTestApp } from './support/test-app.js';
import { askPlan } from './support/plan-requests.js';

describe('The builtin planner (offline default)', () => {
  const app = useTestApp({ PLANNER_BUILTIN_DELAY_MS: '0', PLAN_CACHE_MIN_GEN_TIME: '0', PLANS_CACHE_WARM: 'false' });

  it('plans a goal in numbered steps fitting it, the same plan every time', async () => {
    const goal = 'Build a REST API for billing plans';
    const first = await askPlan(app(), { goal, project_context: 'NestJS team' }).expect(200);
    expect(first.body.plan).toMatch(/^Plan: Build a REST API for billing plans\n\n1\. Clarify the goal/);
    expect(first.body.plan).toContain('2. Take the project context into account: NestJS team');
    expect(first.body.plan).toContain('7. Follow up');
    const other = await askPlan(
      app(),
      { goal, project_context: 'NestJS team' },
      { 'cache-control': 'no-cache' },
    ).expect(200);
    expect(other.body.plan).toBe(first.body.plan);
  });

  it('plans in Russian for a Russian goal, and streams the same plan', async () => {
    const goal = 'Организовать свадьбу на 50 гостей';
    const { body } = await askPlan(app(), goal).expect(200);
    expect(body.plan).toMatch(/^План: Организовать свадьбу на 50 гостей\n\n1\. Уточнить цель/);
    const stream = await readSse(`${app().url}/api/chat/stream?goal=${encodeURIComponent(goal)}`, {
      headers: { 'accept-language': 'ru' },
    });
    expect(stream.events[0].data.label).toBe('План из кэша');
    expect(chunksText(stream.events)).toBe(body.plan);
  });

  it('answers in chat mode without a plan list', async () => {
    const stream = await readSse(`${app().url}/api/chat/stream?mode=chat&goal=learn%20Rust`);
    const reply = chunksText(stream.events);
    expect(reply).toMatch(/^Here is how I would approach "learn Rust"/);
    expect(stream.events.at(-1)?.event).toBe('done');
  });
});
