import { jest } from '@jest/globals';
import { BillingPlanRepository } from '../src/plans/billing-plan.repository.js';
import { describeWith, POSTGRES } from './support/services.js';
import { bearer, useTestAppOnPostgres, type TestApp } from './support/test-app.js';
import { askPlan } from './support/plan-requests.js';

/** The in-process tier of billing lists in these suites: the warmed lists (7) and a few more. */
const L1_LISTS = 10;
/** Lists warmed at start-up from the sample plans (users 1 and 2). */
const WARMED = ['/api/plans', '/api/plans?connection_type=hotspot', '/api/plans?user_id=1', '/api/plans?user_id=2'];
const BUSY = '/api/plans?user_id=7';
const oneOff = (i: number) => `/api/plans?user_id=${1_000_000 + i}`;

/** Counts the list queries the database gets (the repository's one list query). */
function listQueries(app: () => TestApp): () => number {
  let calls = () => 0;
  let restore = () => {};
  beforeAll(() => {
    const spy = jest.spyOn(app().app.get(BillingPlanRepository), 'list');
    calls = () => spy.mock.calls.length;
    restore = () => spy.mockRestore();
  });
  afterAll(() => restore());
  return () => calls();
}

const planStats = async (app: TestApp) =>
  (await app.http.get('/api/plan-cache/stats').set(bearer()).expect(200)).body.namespaces.plans;

describeWith(POSTGRES)('Billing lists against callers who name lists nobody reads', () => {
  describe('frequency admission of new lists', () => {
    const app = useTestAppOnPostgres({
      PLANS_CACHE_WARM: 'true',
      PLANS_CACHE_MAXSIZE: String(L1_LISTS),
      TRUST_PROXY: '127.0.0.1',
      LIMIT_ANONYMOUS_LIST_LOADS_PER_MINUTE: '100000',
    });
    const queries = listQueries(app);

    it('keeps warmed and busy lists cached after 10x its size of one-off lists from anonymous callers', async () => {
      for (let i = 0; i < 5; i++) await app().http.get(BUSY).expect(200);
      for (const path of [...WARMED, BUSY]) {
        expect((await app().http.get(path).expect(200)).headers['x-cache']).toBe('HIT');
      }

      for (let i = 0; i < 10 * L1_LISTS; i++) {
        const answer = await app()
          .http.get(oneOff(i))
          .set('x-forwarded-for', `198.51.100.${i % 250}`)
          .expect(200);
        expect(answer.headers['x-cache']).toBe('MISS');
        expect(answer.body).toEqual([]);
      }

      const before = queries();
      for (const path of [...WARMED, BUSY]) {
        const answer = await app().http.get(path).set('x-forwarded-for', '198.51.100.1').expect(200);
        expect({ path, cache: answer.headers['x-cache'] }).toEqual({ path, cache: 'HIT' });
      }
      expect(queries() - before).toBe(0);
      const stats = await planStats(app());
      expect(stats.not_admitted).toBeGreaterThanOrEqual(10 * L1_LISTS - L1_LISTS);
      expect(stats.local_cache_size).toBeLessThanOrEqual(L1_LISTS);
    });

    it('still answers a one-off list with its own plans, from the database', async () => {
      const { body: created } = await app()
        .http.post('/api/plans')
        .set(bearer())
        .send({
          name: 'Flood check',
          connection_type: 'dhcp',
          price: '1.00',
          duration_days: 1,
          download_kbps: 1,
          upload_kbps: 1,
          user_id: 2_000_000,
        })
        .expect(201);
      const before = queries();
      for (let i = 0; i < 2; i++) {
        const answer = await app().http.get('/api/plans?user_id=2000000').expect(200);
        expect(answer.body.map((plan: { id: number }) => plan.id)).toEqual([created.id]);
      }
      expect(queries() - before).toBeGreaterThanOrEqual(1);
    });
  });

  describe('the budget of uncached lists of an anonymous address', () => {
    const BUDGET = 3;
    const app = useTestAppOnPostgres({
      PLANS_CACHE_WARM: 'true',
      TRUST_PROXY: '127.0.0.1',
      LIMIT_ANONYMOUS_LIST_LOADS_PER_MINUTE: String(BUDGET),
    });
    const queries = listQueries(app);
    const from = (address: string, path: string) => app().http.get(path).set('x-forwarded-for', address);

    it('refuses an address its next uncached list with 429 and Retry-After, without a query, and still serves it cached lists', async () => {
      for (let i = 0; i < BUDGET; i++) await from('203.0.113.10', oneOff(100 + i)).expect(200);
      const before = queries();
      const refused = await from('203.0.113.10', oneOff(200)).expect(429);
      expect(refused.body).toMatchObject({
        statusCode: 429,
        message: expect.stringContaining('billing lists a minute'),
      });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(queries() - before).toBe(0);
      // What is held costs nothing: the warmed list, and a list this address loaded itself.
      expect((await from('203.0.113.10', '/api/plans').expect(200)).headers['x-cache']).toBe('HIT');
      expect((await from('203.0.113.10', oneOff(100)).expect(200)).headers['x-cache']).toBe('HIT');
      // Another address, and a signed-in caller, have their own allowance.
      await from('203.0.113.11', oneOff(200)).expect(200);
      await from('203.0.113.10', oneOff(201)).set(bearer()).expect(200);
    });

    it('counts every address of one IPv6 /64 in one budget, and another /64 apart', async () => {
      for (let i = 0; i < BUDGET; i++) await from(`2001:db8:aa:1::${i + 1}`, oneOff(300 + i)).expect(200);
      await from('2001:db8:aa:1:ffff:ffff:ffff:ffff', oneOff(310)).expect(429);
      await from('2001:db8:aa:2::1', oneOff(310)).expect(200);
    });

    it('counts an IPv4-mapped IPv6 address in the budget of its IPv4 address', async () => {
      for (let i = 0; i < BUDGET; i++) await from('::ffff:192.0.2.44', oneOff(400 + i)).expect(200);
      await from('192.0.2.44', oneOff(410)).expect(429);
    });
  });

  describe('anonymous generations by IPv6 /64', () => {
    const app = useTestAppOnPostgres({
      PLANS_CACHE_WARM: 'false',
      TRUST_PROXY: '127.0.0.1',
      LIMIT_ANONYMOUS_GENERATIONS_PER_MINUTE: '1',
    });
    const plan = (address: string, goal: string) => askPlan(app(), goal, { 'x-forwarded-for': address });

    it('gives two addresses of one /64 one budget, and two /64 networks two', async () => {
      await plan('2001:db8:bb:1::1', 'Paint the fence').expect(200);
      const refused = await plan('2001:db8:bb:1:8000::2', 'Mow the lawn').expect(429);
      expect(refused.headers['retry-after']).toBeDefined();
      await plan('2001:db8:bb:2::1', 'Mow the lawn').expect(200);
    });

    it('gives an IPv4 client one budget whether it arrives as IPv4 or IPv4-mapped IPv6', async () => {
      await plan('192.0.2.77', 'Rake the leaves').expect(200);
      await plan('::ffff:192.0.2.77', 'Wash the car').expect(429);
    });
  });
});
