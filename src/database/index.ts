// The module's public surface, what other modules use: they import it from here or from its *.module.ts,
// never from its other files (eslint.config.js, boundaries).
export { queryOrUnavailable } from './database-unavailable.error.js';
export { DATABASE } from './database.types.js';
export type { Database, DatabaseConnection } from './database.types.js';
export { CONNECTION_TYPES, billingPlans, semanticObservations } from './schema.js';
export type { BillingPlanRow, ConnectionType, NewBillingPlanRow, SemanticObservationRow } from './schema.js';
