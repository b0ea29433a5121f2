import { AppConfig } from '../../config/index.js';
import {
  CacheNamespace,
  cacheNamespaceProvider,
  serializedJsonCodec,
  type SerializedJson,
} from '../../plan-cache/index.js';
import { BillingListKeys } from './billing-list-keys.js';

/** The longest a billing list query may take for its result to be cached. */
const LIST_LOAD_DEADLINE_MS = 30_000;

/**
 * The namespace `plans`: billing-plan lists, as the serialized answers of `GET /api/plans`.
 * Injected by this class, its only way in.
 */
export class BillingPlanLists extends CacheNamespace<SerializedJson> {}

/** A list crosses Redis as its JSON text, and must come back as a JSON array. */
export const BILLING_LIST_CODEC = serializedJsonCodec(Array.isArray);

export const billingPlanListsProvider = cacheNamespaceProvider(BillingPlanLists, [AppConfig], (config: AppConfig) => ({
  name: BillingListKeys.namespace,
  codec: BILLING_LIST_CODEC,
  options: {
    ...config.planListCache,
    enabled: true,
    flight: { maxWaitMs: LIST_LOAD_DEADLINE_MS },
    loadDeadlineMs: LIST_LOAD_DEADLINE_MS,
    // Any caller can name a list that nobody else reads (`?user_id=<n>`): such lists must not push
    // out the warmed and busy ones (docs/decisions.md, "Billing-list admission").
    frequencyAdmission: true,
    // A list must show a committed change on every instance, through Redis failovers too.
    consistentAcrossInstances: true,
  },
}));
