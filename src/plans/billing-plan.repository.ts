import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import {
  queryOrUnavailable,
  DATABASE,
  type Database,
  billingPlans,
  type BillingPlanRow,
  type ConnectionType,
  type NewBillingPlanRow,
} from '../database/index.js';

export interface BillingPlanFilter {
  userId?: number;
  connectionType?: ConnectionType;
}

export type BillingPlanChanges = Partial<Omit<NewBillingPlanRow, 'id' | 'createdAt' | 'updatedAt'>>;

const TABLE = 'billing_plans';

/** Every query on billing plans; an unreachable database answers 503 (DatabaseUnavailableError). */
@Injectable()
export class BillingPlanRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  list(filter: BillingPlanFilter): Promise<BillingPlanRow[]> {
    const conditions: SQL[] = [];
    if (filter.userId !== undefined) conditions.push(eq(billingPlans.userId, filter.userId));
    if (filter.connectionType !== undefined) conditions.push(eq(billingPlans.connectionType, filter.connectionType));
    return queryOrUnavailable(
      () =>
        this.db
          .select()
          .from(billingPlans)
          .where(and(...conditions))
          .orderBy(asc(billingPlans.id)),
      'SELECT',
      TABLE,
    );
  }

  async findById(id: number): Promise<BillingPlanRow | undefined> {
    const [row] = await queryOrUnavailable(
      () => this.db.select().from(billingPlans).where(eq(billingPlans.id, id)),
      'SELECT',
      TABLE,
    );
    return row;
  }

  async create(values: NewBillingPlanRow): Promise<BillingPlanRow> {
    const [row] = await queryOrUnavailable(
      () => this.db.insert(billingPlans).values(values).returning(),
      'INSERT',
      TABLE,
    );
    return row;
  }

  /** Updates in one transaction and answers the row as it was and as it is, or undefined. */
  async update(
    id: number,
    changes: BillingPlanChanges,
  ): Promise<{ before: BillingPlanRow; after: BillingPlanRow } | undefined> {
    return queryOrUnavailable(
      () =>
        this.db.transaction(async (tx) => {
          const [before] = await tx.select().from(billingPlans).where(eq(billingPlans.id, id)).for('update');
          if (!before) return undefined;
          const [after] = await tx
            .update(billingPlans)
            .set({ ...changes, updatedAt: sql`now()` })
            .where(eq(billingPlans.id, id))
            .returning();
          return { before, after };
        }),
      'UPDATE',
      TABLE,
    );
  }

  async delete(id: number): Promise<BillingPlanRow | undefined> {
    const [row] = await queryOrUnavailable(
      () => this.db.delete(billingPlans).where(eq(billingPlans.id, id)).returning(),
      'DELETE',
      TABLE,
    );
    return row;
  }

  /** The users with the most plans, for warming their lists. */
  async busiestUsers(limit: number): Promise<number[]> {
    const rows = await queryOrUnavailable(
      () =>
        this.db
          .select({ userId: billingPlans.userId })
          .from(billingPlans)
          .groupBy(billingPlans.userId)
          .orderBy(sql`count(*) desc`, asc(billingPlans.userId))
          .limit(limit),
      'SELECT',
      TABLE,
    );
    return rows.map((row) => row.userId);
  }
}
