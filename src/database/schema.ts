import {
  bigserial,
  boolean,
  char,
  doublePrecision,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  serial,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';

export const CONNECTION_TYPES = ['hotspot', 'pppoe', 'static', 'dhcp'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

export const connectionType = pgEnum('connection_type', CONNECTION_TYPES);

export const billingPlans = pgTable(
  'billing_plans',
  {
    id: serial('id').primaryKey(),
    name: varchar('name', { length: 100 }).notNull(),
    connectionType: connectionType('connection_type').notNull(),
    /** numeric, read and written as a decimal string: money is never a float. */
    price: numeric('price', { precision: 12, scale: 2 }).notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    durationDays: integer('duration_days').notNull(),
    dataLimitMb: integer('data_limit_mb'),
    downloadKbps: integer('download_kbps').notNull(),
    uploadKbps: integer('upload_kbps').notNull(),
    userId: integer('user_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('billing_plans_user_id_idx').on(table.userId),
    index('billing_plans_connection_type_idx').on(table.connectionType),
  ],
);

export type BillingPlanRow = typeof billingPlans.$inferSelect;
export type NewBillingPlanRow = typeof billingPlans.$inferInsert;

/**
 * Checks of semantic hits (verification and client feedback): each says how similar a goal was to
 * a cached entry's and whether the entry's plan was wrong for it. Every instance learns each
 * entry's threshold from them, and they outlive restarts.
 */
export const semanticObservations = pgTable(
  'semantic_observations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    entryKey: varchar('entry_key', { length: 64 }).notNull(),
    similarity: doublePrecision('similarity').notNull(),
    wrong: boolean('wrong').notNull(),
    /** verification, near_miss or feedback. */
    origin: varchar('origin', { length: 16 }).notNull(),
    observedAt: timestamp('observed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Feedback only: a digest of who gave it (subject, or address), and of the goal it was about. */
    voter: varchar('voter', { length: 64 }),
    goalHash: varchar('goal_hash', { length: 64 }),
    /**
     * The goal-embedding model (embeddings and matching form) the similarity was measured in: an
     * entry's threshold learns from observations of the model the service embeds with only.
     */
    model: varchar('model', { length: 200 }),
  },
  (table) => [
    index('semantic_observations_entry_key_idx').on(table.entryKey),
    // One voice per caller, entry and goal (checks have no voter, and nulls are distinct).
    uniqueIndex('semantic_observations_vote_idx').on(table.entryKey, table.voter, table.goalHash),
  ],
);

export type SemanticObservationRow = typeof semanticObservations.$inferSelect;

export const schema = { billingPlans, connectionType, semanticObservations };
