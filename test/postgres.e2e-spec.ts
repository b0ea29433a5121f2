import { count } from 'drizzle-orm';
import { billingPlans } from '../src/database/schema.js';
import { PostgresConnection } from '../src/database/postgres-connection.js';
import { SAMPLE_PLANS } from '../src/database/seed.js';
import { createTestDatabase, useTestDatabase, type TestDatabase } from './support/postgres.js';
import { repositoryContract } from './support/repository-contract.js';
import { samplePlan } from './support/sample-plan.js';
import { describeWith, POSTGRES } from './support/services.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

/** The service on a PostgreSQL database of its own, for a describe block. */
function useServiceOnOwnDatabase(): () => { database: TestDatabase; app: TestApp } {
  let database: TestDatabase | undefined;
  let app: TestApp | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startTestApp({ DATABASE_URL: database.url, PLANS_CACHE_WARM: 'false' });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });
  return () => {
    if (!database || !app) throw new Error('the service has not started');
    return { database, app };
  };
}

describeWith(POSTGRES)('On a real PostgreSQL server', () => {
  describe('BillingPlanRepository', () => {
    const database = useTestDatabase();
    repositoryContract(async () => new PostgresConnection(database().url));
  });

  describe('migrations', () => {
    const database = useTestDatabase();

    it('are safe when several instances start at once, and seed once', async () => {
      const instances = Array.from({ length: 4 }, () => new PostgresConnection(database().url));
      try {
        await Promise.all(instances.map((instance) => instance.prepare({ seed: true })));
        const [{ plans }] = await instances[0].db.select({ plans: count() }).from(billingPlans);
        expect(plans).toBe(SAMPLE_PLANS.length);
        await instances[1].prepare({ seed: true }); // and again on a migrated database: nothing to do
      } finally {
        await Promise.all(instances.map((instance) => instance.close()));
      }
    });
  });

  describe('the service with DATABASE_URL', () => {
    const service = useServiceOnOwnDatabase();

    it('is ready on PostgreSQL', async () => {
      const t = service().app;
      const { body } = await t.http.get('/health/ready').expect(200);
      expect(body.details.database).toMatchObject({ status: 'up', kind: 'postgres' });
    });

    it('serves, caches and invalidates the lists', async () => {
      const t = service().app;
      expect((await t.http.get('/api/plans?user_id=2').expect(200)).headers['x-cache']).toBe('MISS');
      expect((await t.http.get('/api/plans?user_id=2').expect(200)).headers['x-cache']).toBe('HIT');
      const { body: created } = await t.http
        .post('/api/plans')
        .set(bearer())
        .send(samplePlan({ user_id: 2, price: '19.90' }))
        .expect(201);
      const after = await t.http.get('/api/plans?user_id=2').expect(200);
      expect(after.headers['x-cache']).toBe('MISS');
      expect((after.body as { id: number; price: string }[]).find((plan) => plan.id === created.id)?.price).toBe(
        '19.90',
      );
    });
  });

  describe('when the database goes away', () => {
    const service = useServiceOnOwnDatabase();

    it('answers 503 saying so for what needs it, and keeps serving what is cached', async () => {
      const { app: t, database } = service();
      await t.http.get('/api/plans').expect(200); // cached from now on
      await database.drop(); // terminates the service's connections; the database is gone

      const unavailable = {
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'The database is not available; try again shortly',
        request_id: expect.any(String),
      };
      expect((await t.http.get('/api/plans/1').expect(503)).body).toEqual(unavailable);
      expect((await t.http.get('/api/plans?user_id=1').expect(503)).body).toEqual(unavailable);
      const write = await t.http.post('/api/plans').set(bearer()).send(samplePlan()).expect(503);
      expect(write.body).toEqual(unavailable);
      await t.http.patch('/api/plans/1').set(bearer()).send({ price: '1.00' }).expect(503);
      await t.http.delete('/api/plans/1').set(bearer()).expect(503);
      expect((await t.http.get('/api/plans').expect(200)).headers['x-cache']).toBe('HIT');
      await t.http.get('/health/ready').expect(503);
    });
  });
});
