import { useOpenAiApp } from './support/openai-app.js';
import { bearer } from './support/test-app.js';
import { askPlan } from './support/plan-requests.js';

describe.each([
  ['PLAN_CACHE_ENABLED=false', { PLAN_CACHE_ENABLED: 'false' }, false],
  ['PLAN_CACHE_MAXSIZE=0', { PLAN_CACHE_MAXSIZE: '0' }, true],
])('With %s', (_name, variables, enabled) => {
  const { app, openai } = useOpenAiApp(variables);

  it('generates every time and stores nothing, but still coalesces', async () => {
    for (let i = 0; i < 2; i++) {
      const answer = await askPlan(app(), 'never cached').expect(200);
      expect(answer.headers['x-cache']).toBe('MISS');
    }
    expect(openai.calls).toBe(2);
    await Promise.all(Array.from({ length: 5 }, () => askPlan(app(), 'together')));
    expect(openai.calls).toBe(3);
    const { body } = await app().http.get('/api/plan-cache/stats').set(bearer()).expect(200);
    expect(body.enabled).toBe(enabled);
    expect(body.namespaces.plan).toMatchObject({ local_cache_size: 0, local_max_size: 0, sets: 0 });
  });

  it('still caches the billing lists', async () => {
    await app().http.get('/api/plans').expect(200);
    expect((await app().http.get('/api/plans').expect(200)).headers['x-cache']).toBe('HIT');
  });
});
