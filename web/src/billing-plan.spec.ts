import { formValues, planBody, type BillingPlan } from './billing-plan.js';

const typed = {
  name: '  Week  ',
  connection_type: 'pppoe',
  price: '4.50',
  currency: 'EUR',
  duration_days: '7',
  data_limit_mb: '',
  download_kbps: '8000',
  upload_kbps: '2k',
  user_id: '',
};

describe('planBody', () => {
  it('sends whole numbers as numbers, anything else as typed, for the API to judge', () => {
    expect(planBody(typed)).toEqual({
      name: 'Week',
      connection_type: 'pppoe',
      price: '4.50',
      currency: 'EUR',
      duration_days: 7,
      data_limit_mb: null,
      download_kbps: 8000,
      upload_kbps: '2k',
    });
  });

  it('keeps a price as text, so that "4.50" is not turned into 4.5', () => {
    expect(planBody({ ...typed, price: '10' }).price).toBe('10');
  });

  it('sends a negative whole number as a number, for the API to refuse with its own message', () => {
    expect(planBody({ ...typed, duration_days: '-3' }).duration_days).toBe(-3);
  });
});

describe('formValues', () => {
  it('shows an unlimited data limit as an empty field, and round-trips through planBody', () => {
    const plan: BillingPlan = {
      id: 9,
      name: 'Week',
      connection_type: 'dhcp',
      price: '4.50',
      currency: 'EUR',
      duration_days: 7,
      data_limit_mb: null,
      download_kbps: 8000,
      upload_kbps: 2000,
      user_id: 3,
      created_at: '2026-11-01T10:00:00.000Z',
      updated_at: '2026-11-01T10:00:00.000Z',
    };
    const values = formValues(plan);
    expect(values.data_limit_mb).toBe('');
    const { id: _id, created_at: _created, updated_at: _updated, ...fields } = plan;
    expect(planBody(values)).toEqual(fields);
  });
});
