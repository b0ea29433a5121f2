import { startTestApp, temporaryDataDir } from './support/test-app.js';

const PRODUCTION = { NODE_ENV: 'production', ADMIN_TOKEN: 'a-production-admin-token-of-32-chars!' };
const bearer = { authorization: `Bearer ${PRODUCTION.ADMIN_TOKEN}` };

describe('Sample data in an empty database', () => {
  const data = temporaryDataDir({ empty: true });
  afterAll(() => data.remove());

  it('is never put into a production database, even after every plan was deleted and the service restarted', async () => {
    const variables = { ...PRODUCTION, DATA_DIR: data.dir, DATABASE_SEED: '', PLANS_CACHE_WARM: 'false' };
    const first = await startTestApp(variables);
    try {
      expect((await first.http.get('/api/plans').expect(200)).body).toEqual([]);
      const { body: plan } = await first.http
        .post('/api/plans')
        .set(bearer)
        .send({
          name: 'Only plan',
          connection_type: 'pppoe',
          price: '5.00',
          currency: 'EUR',
          duration_days: 30,
          download_kbps: 1000,
          upload_kbps: 1000,
          user_id: 1,
        })
        .expect(201);
      await first.http.delete(`/api/plans/${plan.id}`).set(bearer).expect(204);
    } finally {
      await first.close();
    }
    const restarted = await startTestApp(variables);
    try {
      expect((await restarted.http.get('/api/plans').expect(200)).body).toEqual([]);
    } finally {
      await restarted.close();
    }
    // Two starts, the first running initdb on a truly empty directory: slow on a busy two-core machine.
  }, 90_000);

  it.each([
    ['in development', { NODE_ENV: 'development' }],
    ['wherever DATABASE_SEED=true says so', { ...PRODUCTION, DATABASE_SEED: 'true' }],
  ])('is put into an empty database %s', async (_where, variables) => {
    const fresh = temporaryDataDir();
    const app = await startTestApp({ ...variables, DATA_DIR: fresh.dir, PLANS_CACHE_WARM: 'false' });
    try {
      expect((await app.http.get('/api/plans').expect(200)).body.length).toBeGreaterThan(0);
    } finally {
      await app.close();
      fresh.remove();
    }
  });
});
