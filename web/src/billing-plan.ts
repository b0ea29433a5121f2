import type { components } from './generated/api.js';

/** A billing plan as the API sends it (generated from the OpenAPI document). */
export type BillingPlan = components['schemas']['BillingPlanDto'];

export const EDITABLE_FIELDS = [
  'name',
  'connection_type',
  'price',
  'currency',
  'duration_days',
  'data_limit_mb',
  'download_kbps',
  'upload_kbps',
  'user_id',
] as const satisfies readonly (keyof components['schemas']['CreateBillingPlanDto'])[];

export type EditableField = (typeof EDITABLE_FIELDS)[number];

const INTEGER_FIELDS: ReadonlySet<EditableField> = new Set([
  'duration_days',
  'data_limit_mb',
  'download_kbps',
  'upload_kbps',
  'user_id',
]);

/**
 * The request body for what the operator typed. Whole numbers become numbers; anything else is
 * sent as typed, so that the API's message about it can be shown beside the field. An empty data
 * limit means unlimited (null); other empty fields are left out for the API to name.
 */
export function planBody(values: Record<EditableField, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of EDITABLE_FIELDS) {
    const raw = values[field].trim();
    if (raw === '') {
      if (field === 'data_limit_mb') body[field] = null;
      continue;
    }
    body[field] = INTEGER_FIELDS.has(field) && /^-?\d+$/.test(raw) ? Number(raw) : raw;
  }
  return body;
}

/** A plan's fields as the form shows them. */
export function formValues(plan: BillingPlan): Record<EditableField, string> {
  const values = {} as Record<EditableField, string>;
  for (const field of EDITABLE_FIELDS) values[field] = plan[field] === null ? '' : String(plan[field]);
  return values;
}
