import { SAMPLE_PLANS } from '../src/database/seed.js';
import { samplePlan } from './support/sample-plan.js';
import { bearer, startTestApp, temporaryDataDir } from './support/test-app.js';

describe('Embedded database across restarts', () => {
  const data = temporaryDataDir();

  afterAll(() => data.remove());

  it('keeps created, changed and deleted plans, and seeds only once', async () => {
    const first = await startTestApp({ DATA_DIR: data.dir });
    const { body: created } = await first.http
      .post('/api/plans')
      .set(bearer())
      .send(samplePlan({ name: 'Survives restarts' }))
      .expect(201);
    await first.http.patch('/api/plans/4').set(bearer()).send({ price: '31.00' }).expect(200);
    await first.http.delete('/api/plans/5').set(bearer()).expect(204);
    await first.close();

    const second = await startTestApp({ DATA_DIR: data.dir });
    try {
      const { body } = await second.http.get('/api/plans').expect(200);
      const names = (body as { name: string }[]).map((plan) => plan.name);
      expect(names).toHaveLength(SAMPLE_PLANS.length); // five seeded, one added, one deleted
      expect(names).toContain('Survives restarts');
      expect(names).not.toContain('Static IP Business');
      expect((await second.http.get('/api/plans/4')).body.price).toBe('31.00');
      expect((await second.http.get(`/api/plans/${created.id}`)).body.name).toBe('Survives restarts');
    } finally {
      await second.close();
    }
  });
});
