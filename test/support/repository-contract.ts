import { BillingPlanRepository } from '../../src/plans/billing-plan.repository.js';
import type { DatabaseConnection } from '../../src/database/database.types.js';
import { SAMPLE_PLANS } from '../../src/database/seed.js';
import type { NewBillingPlanRow } from '../../src/database/schema.js';

const plan = (overrides: Partial<NewBillingPlanRow> = {}): NewBillingPlanRow => ({
  name: 'Contract plan',
  connectionType: 'dhcp',
  price: '5.5',
  currency: 'EUR',
  durationDays: 10,
  dataLimitMb: null,
  downloadKbps: 1000,
  uploadKbps: 500,
  userId: 500,
  ...overrides,
});

/** The same expectations of the repository, whichever database is underneath. */
export function repositoryContract(open: () => Promise<DatabaseConnection>): void {
  let connection: DatabaseConnection;
  let plans: BillingPlanRepository;

  beforeAll(async () => {
    connection = await open();
    await connection.prepare({ seed: true });
    plans = new BillingPlanRepository(connection.db);
  });

  afterAll(async () => {
    await connection?.close();
  });

  it('starts from the seeded sample plans, ordered by id', async () => {
    const rows = await plans.list({});
    expect(rows.map((row) => row.name)).toEqual(SAMPLE_PLANS.map((row) => row.name));
    expect(rows.map((row) => row.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps prices exact as numeric, read back as decimal strings', async () => {
    const row = await plans.create(plan({ price: '12345678.91', userId: 501 }));
    expect(row.price).toBe('12345678.91');
    expect((await plans.findById(row.id))?.price).toBe('12345678.91');
    expect((await plans.create(plan({ price: '5.5', userId: 501 }))).price).toBe('5.50');
  });

  it('filters by user and connection type', async () => {
    await plans.create(plan({ userId: 502, connectionType: 'pppoe' }));
    await plans.create(plan({ userId: 502, connectionType: 'static' }));
    expect((await plans.list({ userId: 502 })).map((row) => row.connectionType)).toEqual(['pppoe', 'static']);
    expect((await plans.list({ userId: 502, connectionType: 'static' })).length).toBe(1);
    expect((await plans.list({ connectionType: 'pppoe' })).every((row) => row.connectionType === 'pppoe')).toBe(true);
  });

  it('updates in a transaction and answers the row before and after', async () => {
    const created = await plans.create(plan({ userId: 503 }));
    const result = await plans.update(created.id, { userId: 504, price: '7.00' });
    expect(result?.before).toMatchObject({ userId: 503, price: '5.50' });
    expect(result?.after).toMatchObject({ userId: 504, price: '7.00' });
    expect(result!.after.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    expect(await plans.update(999_999, { price: '1.00' })).toBeUndefined();
  });

  it('deletes and answers the deleted row, or undefined', async () => {
    const created = await plans.create(plan({ userId: 505 }));
    expect((await plans.delete(created.id))?.userId).toBe(505);
    expect(await plans.findById(created.id)).toBeUndefined();
    expect(await plans.delete(created.id)).toBeUndefined();
  });

  it('names the users with the most plans first', async () => {
    for (let i = 0; i < 4; i++) await plans.create(plan({ userId: 506 })); // user 1 has 3
    const busiest = await plans.busiestUsers(2);
    expect(busiest[0]).toBe(506);
    expect(busiest).toHaveLength(2);
  });

  it('answers a ping', async () => {
    await expect(connection.ping()).resolves.toBeUndefined();
  });
}
