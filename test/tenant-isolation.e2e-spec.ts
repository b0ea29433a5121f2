import { eventually } from './support/eventually.js';
import { signedIn, TEST_JWT_SECRET } from './support/jwks-server.js';
import { useOpenAiInstancesOnRedis } from './support/openai-app.js';
import { askPlan, cachedSource } from './support/plan-requests.js';
import { describeWith, REDIS } from './support/services.js';
import { bearer } from './support/test-app.js';

describeWith(REDIS)('Tenants apart across instances sharing Redis (PLAN_CACHE_SCOPE=tenant)', () => {
  const { apps, openai } = useOpenAiInstancesOnRedis({
    redis: 'shared',
    variables: { PLAN_CACHE_SCOPE: 'tenant', AUTH_JWT_SECRET: TEST_JWT_SECRET },
  });
  const tenant = (name: string) => signedIn({ sub: `reader-of-${name}`, tenant: name });

  it("never serves tenant A's plan to tenant B, on the other instance or its own, while A reads it on both", async () => {
    const [first, second] = apps();
    const [acme, globex] = [await tenant('acme'), await tenant('globex')];
    const goal = 'Plan the quarterly close of the books';
    const acmePlan = await askPlan(first, goal, acme).expect(200);
    // The plan is in Redis: the other instance serves it to its tenant.
    await eventually(async () => (await cachedSource(second, goal, acme)) !== 'status 504', 5_000, 'acme’s plan on b');
    // Not to another tenant, there or where it was made.
    expect(await cachedSource(second, goal, globex)).toBe('status 504');
    expect(await cachedSource(first, goal, globex)).toBe('status 504');
    openai.answer = (asked) => `Globex's plan for ${asked}\n`;
    const globexPlan = await askPlan(second, goal, globex).expect(200);
    expect(globexPlan.body).toMatchObject({ cached: false, source: 'generator' });
    expect(globexPlan.body.key).not.toBe(acmePlan.body.key);
    // Each tenant reads its own plan on either instance.
    for (const app of [first, second]) {
      expect((await askPlan(app, goal, acme).expect(200)).body.plan).toBe(acmePlan.body.plan);
      expect((await askPlan(app, goal, globex).expect(200)).body.plan).toBe(globexPlan.body.plan);
    }
    expect(openai.calls).toBe(2);
  });

  it("keeps tenant A's plan when tenant B regenerates the same goal (Cache-Control: no-cache) on the other instance", async () => {
    const [first, second] = apps();
    const [acme, globex] = [await tenant('acme'), await tenant('globex')];
    const goal = 'Plan the migration of the payroll service';
    const acmePlan = await askPlan(first, goal, acme).expect(200);
    await askPlan(second, goal, acme).expect(200); // a copy on b too
    const mark = 'A plan cleared after the regeneration';
    await askPlan(first, mark).expect(200);
    openai.answer = (asked) => `Globex's regenerated plan for ${asked}\n`;
    const regenerated = await askPlan(second, goal, { ...globex, 'cache-control': 'no-cache' }).expect(200);
    expect(regenerated.body).toMatchObject({ source: 'generator', plan: `Globex's regenerated plan for ${goal}\n` });
    // Cleared on b after the regeneration: once a has dropped it, a has heard all b said before.
    await second.http.post('/api/plan-cache/clear').query({ goal: mark }).set(bearer()).expect(200);
    await eventually(async () => (await cachedSource(first, mark)) === 'status 504', 5_000, 'a dropped the mark');
    for (const app of [first, second]) {
      const answer = await askPlan(app, goal, acme).expect(200);
      expect(answer.headers['x-cache']).toBe('HIT');
      expect(answer.body).toMatchObject({ key: acmePlan.body.key, plan: acmePlan.body.plan });
    }
    expect(openai.calls).toBe(3);
  });
});
