import { BadRequestException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { BillingPlanRow } from '../database/index.js';
import {
  BillingPlanEvents,
  type BillingPlanCreatedEvent,
  type BillingPlanDeletedEvent,
  type BillingPlanScope,
  type BillingPlanUpdatedEvent,
} from './billing-plan-events.js';
import { BillingPlanRepository, type BillingPlanChanges, type BillingPlanFilter } from './billing-plan.repository.js';
import type { BillingPlanDto } from './dto/billing-plan.dto.js';
import type { CreateBillingPlanDto } from './dto/create-billing-plan.dto.js';
import type { UpdateBillingPlanDto } from './dto/update-billing-plan.dto.js';

const DEFAULT_CURRENCY = 'USD';

/**
 * Billing plans. Every change is announced after its commit, and the announcement is awaited,
 * so that the caches have dropped what it touched before the caller hears of it.
 */
@Injectable()
export class BillingPlansService {
  readonly #logger = new Logger(BillingPlansService.name);

  constructor(
    private readonly plans: BillingPlanRepository,
    private readonly events: EventEmitter2,
  ) {}

  async list(filter: BillingPlanFilter): Promise<BillingPlanDto[]> {
    const started = performance.now();
    const rows = await this.plans.list(filter);
    const ms = Math.round(performance.now() - started);
    this.#logger.debug({ msg: `Fetched ${rows.length} billing plans from the database`, filter, ms });
    return rows.map((row) => this.toResponse(row));
  }

  async get(id: number): Promise<BillingPlanDto> {
    return this.toResponse(await this.findOrThrow(id));
  }

  async create(input: CreateBillingPlanDto): Promise<BillingPlanDto> {
    const row = await this.plans.create({
      name: input.name,
      connectionType: input.connection_type,
      price: input.price,
      currency: input.currency ?? DEFAULT_CURRENCY,
      durationDays: input.duration_days,
      dataLimitMb: input.data_limit_mb ?? null,
      downloadKbps: input.download_kbps,
      uploadKbps: input.upload_kbps,
      userId: input.user_id,
    });
    await this.events.emitAsync(BillingPlanEvents.created, { after: scopeOf(row) } satisfies BillingPlanCreatedEvent);
    return this.toResponse(row);
  }

  async update(id: number, input: UpdateBillingPlanDto): Promise<BillingPlanDto> {
    const changes = toChanges(input);
    if (Object.keys(changes).length === 0) throw new BadRequestException('Send at least one field to change');
    const result = await this.plans.update(id, changes);
    if (!result) throw notFound(id);
    const event: BillingPlanUpdatedEvent = { before: scopeOf(result.before), after: scopeOf(result.after) };
    await this.events.emitAsync(BillingPlanEvents.updated, event);
    return this.toResponse(result.after);
  }

  async remove(id: number): Promise<void> {
    const row = await this.plans.delete(id);
    if (!row) throw notFound(id);
    await this.events.emitAsync(BillingPlanEvents.deleted, { before: scopeOf(row) } satisfies BillingPlanDeletedEvent);
  }

  /** The users whose plan lists are worth warming first. */
  busiestUsers(limit: number): Promise<number[]> {
    return this.plans.busiestUsers(limit);
  }

  private async findOrThrow(id: number): Promise<BillingPlanRow> {
    const row = await this.plans.findById(id);
    if (!row) throw notFound(id);
    return row;
  }

  private toResponse(row: BillingPlanRow): BillingPlanDto {
    return {
      id: row.id,
      name: row.name,
      connection_type: row.connectionType,
      price: row.price,
      currency: row.currency,
      duration_days: row.durationDays,
      data_limit_mb: row.dataLimitMb,
      download_kbps: row.downloadKbps,
      upload_kbps: row.uploadKbps,
      user_id: row.userId,
      created_at: row.createdAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
    };
  }
}

function notFound(id: number): NotFoundException {
  return new NotFoundException(`Billing plan ${id} does not exist`);
}

function scopeOf(row: BillingPlanRow): BillingPlanScope {
  return { user_id: row.userId, connection_type: row.connectionType };
}

function toChanges(input: UpdateBillingPlanDto): BillingPlanChanges {
  const changes: BillingPlanChanges = {
    name: input.name,
    connectionType: input.connection_type,
    price: input.price,
    currency: input.currency,
    durationDays: input.duration_days,
    dataLimitMb: input.data_limit_mb,
    downloadKbps: input.download_kbps,
    uploadKbps: input.upload_kbps,
    userId: input.user_id,
  };
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}
