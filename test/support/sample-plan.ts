/** A valid create body; tests spread their changes over it. */
export const samplePlan = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'Test Hotspot 3 days',
  connection_type: 'hotspot',
  price: '3.50',
  currency: 'EUR',
  duration_days: 3,
  data_limit_mb: 4096,
  download_kbps: 15000,
  upload_kbps: 3000,
  user_id: 42,
  ...overrides,
});

/** The fields of a listed billing plan the suites read. */
interface ListedPlan {
  id: number;
  price: string;
}

/** The price of plan `id` in a list answer, or undefined when the list does not hold it. */
export const priceOf = (body: unknown, id: number): string | undefined =>
  (body as ListedPlan[]).find((plan) => plan.id === id)?.price;

/** The ids of a list answer, in order. */
export const idsOf = (body: unknown): number[] => (body as ListedPlan[]).map((plan) => plan.id);
