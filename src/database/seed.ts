import { count } from 'drizzle-orm';
import type { Database } from './database.types.js';
import { billingPlans, type NewBillingPlanRow } from './schema.js';

export const SAMPLE_PLANS: readonly NewBillingPlanRow[] = [
  {
    name: 'Hotspot Day Pass',
    connectionType: 'hotspot',
    price: '1.99',
    currency: 'USD',
    durationDays: 1,
    dataLimitMb: 2048,
    downloadKbps: 10_000,
    uploadKbps: 2_000,
    userId: 1,
  },
  {
    name: 'Hotspot Week',
    connectionType: 'hotspot',
    price: '7.99',
    currency: 'USD',
    durationDays: 7,
    dataLimitMb: 15_360,
    downloadKbps: 20_000,
    uploadKbps: 5_000,
    userId: 1,
  },
  {
    name: 'Hotspot Month',
    connectionType: 'hotspot',
    price: '24.99',
    currency: 'USD',
    durationDays: 30,
    dataLimitMb: null,
    downloadKbps: 30_000,
    uploadKbps: 10_000,
    userId: 1,
  },
  {
    name: 'PPPoE Home 100',
    connectionType: 'pppoe',
    price: '29.00',
    currency: 'USD',
    durationDays: 30,
    dataLimitMb: null,
    downloadKbps: 100_000,
    uploadKbps: 20_000,
    userId: 2,
  },
  {
    name: 'Static IP Business',
    connectionType: 'static',
    price: '79.00',
    currency: 'USD',
    durationDays: 30,
    dataLimitMb: null,
    downloadKbps: 200_000,
    uploadKbps: 100_000,
    userId: 2,
  },
];

/** Gives a new user something to look at; a database that already has plans is left alone. */
export async function seedEmptyDatabase(db: Database): Promise<number> {
  const [{ plans }] = await db.select({ plans: count() }).from(billingPlans);
  if (plans > 0) return 0;
  await db.insert(billingPlans).values([...SAMPLE_PLANS]);
  return SAMPLE_PLANS.length;
}
