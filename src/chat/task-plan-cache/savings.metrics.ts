import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../../common/index.js';
import { AppConfig } from '../../config/index.js';
import { TaskPlanEntries } from './task-plan-entries.js';
import type { PlanUsage } from './task-plan-entry.js';

/** With METRICS_TENANT_LABEL, this many tenants (those that saved most) get series of their own. */
const LABELLED_TENANTS = 10;
const OTHER = 'other';

interface PendingSavings {
  input: number;
  output: number;
  seconds: number;
  cost: number;
}

/**
 * What the cache saved: each task-plan hit (exact or semantic) adds the tokens, generation seconds
 * and (with prices) money its plan's generation cost. Optionally per tenant (the asking caller's),
 * for the top tenants only, the rest as `other`, so that the number of series stays bounded
 * whatever the number of tenants.
 */
@Injectable()
export class SavingsMetrics {
  readonly #tokens: Counter;
  readonly #seconds: Counter;
  readonly #cost: Counter;
  readonly #byTenant: boolean;
  readonly #prices: AppConfig['prices'];
  /** Tokens saved so far by tenant (bounded), to tell the top ones. */
  readonly #totals = new Map<string, number>();
  readonly #labelled = new Set<string>();
  /** Savings of the hits since the last scrape, by tenant label ('' without the label). */
  readonly #pending = new Map<string, PendingSavings>();

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, config: AppConfig, plans: TaskPlanEntries) {
    this.#byTenant = config.metricsTenantLabel;
    this.#prices = config.prices;
    const tenant = this.#byTenant ? ['tenant'] : [];
    const collect = () => this.#publish();
    this.#tokens = new Counter({
      name: 'plan_cache_saved_tokens_total',
      help: 'Planner tokens that cache hits did not spend, by direction',
      labelNames: ['direction', ...tenant],
      registers: [registry],
      collect,
    });
    this.#seconds = new Counter({
      name: 'plan_cache_saved_seconds_total',
      help: 'Generation seconds that cache hits did not wait for',
      labelNames: tenant,
      registers: [registry],
      collect,
    });
    this.#cost = new Counter({
      name: 'plan_cache_saved_cost_total',
      help: 'Money cache hits saved, at PLANNER_PRICE_INPUT_PER_MTOK and PLANNER_PRICE_OUTPUT_PER_MTOK',
      labelNames: tenant,
      registers: [registry],
      collect,
    });
    plans.subscribe((event) => {
      if (event.type === 'hit') this.#saved(event.entry.value.usage, event.entry.value.generation_ms, event.tenant);
    });
  }

  /**
   * A hit on a plan whose generation took `generationMs` and used `usage`: added to plain numbers,
   * which reach the counters when Prometheus scrapes (a labelled increment per hit costs more than
   * the rest of a cached answer's own work).
   */
  #saved(usage: PlanUsage | undefined, generationMs: number, tenant: string | undefined): void {
    const label = this.#byTenant ? this.#labelOf(tenant, usage) : '';
    let pending = this.#pending.get(label);
    if (!pending) this.#pending.set(label, (pending = { input: 0, output: 0, seconds: 0, cost: 0 }));
    const input = usage?.input_tokens ?? 0;
    const output = usage?.output_tokens ?? 0;
    pending.input += input;
    pending.output += output;
    pending.seconds += generationMs / 1000;
    pending.cost +=
      (input * this.#prices.inputPerMillionTokens + output * this.#prices.outputPerMillionTokens) / 1_000_000;
  }

  /** At scrape time (each counter's collect): the savings since the last scrape reach all three counters. */
  #publish(): void {
    for (const [label, pending] of this.#pending) {
      const labels = this.#byTenant ? { tenant: label } : {};
      this.#tokens.inc({ ...labels, direction: 'input' }, pending.input);
      this.#tokens.inc({ ...labels, direction: 'output' }, pending.output);
      this.#seconds.inc(labels, pending.seconds);
      this.#cost.inc(labels, pending.cost);
    }
    this.#pending.clear();
  }

  #labelOf(tenant: string | undefined, usage: PlanUsage | undefined): string {
    if (tenant === undefined) return OTHER;
    const total = (this.#totals.get(tenant) ?? 0) + (usage ? usage.input_tokens + usage.output_tokens : 0);
    if (this.#totals.has(tenant) || this.#totals.size < 10 * LABELLED_TENANTS) this.#totals.set(tenant, total);
    if (this.#labelled.has(tenant)) return tenant;
    if (this.#labelled.size < LABELLED_TENANTS) {
      this.#labelled.add(tenant);
      return tenant;
    }
    // A tenant that has saved more than the least of the labelled ones takes its place.
    const least = [...this.#labelled].reduce((a, b) =>
      (this.#totals.get(a) ?? 0) <= (this.#totals.get(b) ?? 0) ? a : b,
    );
    if (total <= (this.#totals.get(least) ?? 0)) return OTHER;
    this.#labelled.delete(least);
    this.#pending.delete(least);
    for (const counter of [this.#seconds, this.#cost]) counter.remove({ tenant: least });
    for (const direction of ['input', 'output']) this.#tokens.remove({ tenant: least, direction });
    this.#labelled.add(tenant);
    return tenant;
  }
}
