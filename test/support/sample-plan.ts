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
