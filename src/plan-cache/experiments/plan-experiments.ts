import { Inject, Injectable, NotFoundException, type BeforeApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import type { ExperimentSettings } from '../../config/experiments-file.js';
import type { RedisConnection } from '../redis/redis-connection.js';
import { REDIS_CONNECTION } from '../redis/redis.providers.js';
import { PolicyCounters, TaskPlanPolicy, type PolicySettings } from '../task-plans/task-plan-policy.js';
import { experimentReport, type ExperimentReport } from './experiment-report.js';
import { assignVariant } from './variant-assignment.js';

const FLUSH_EVERY_MS = 1000;
/** Counters of an experiment nobody looks at any more leave Redis by themselves. */
const COUNTERS_TTL_SECONDS = 30 * 24 * 3600;

const COUNTER_FIELDS = [
  'requests',
  'hits',
  'misses',
  'stale',
  'plannerCalls',
  'savedMs',
  'latencyMsSum',
  'servedAgeMsSum',
] as const satisfies readonly (keyof PolicyCounters)[];

export type RequestListener = (policy: TaskPlanPolicy, latencyMs: number) => void;

/**
 * The task-plan cache policy of each request: the service's own, or, with an experiment
 * (PLAN_CACHE_EXPERIMENTS_FILE), the one of the variant the client is assigned to. Counts what each
 * policy did, shares the counts through Redis, and reports them with the statistics to compare.
 */
@Injectable()
export class PlanExperiments implements BeforeApplicationShutdown {
  readonly #experiment?: ExperimentSettings;
  readonly #policies: TaskPlanPolicy[];
  readonly #weights: number[];
  /** What has been added to Redis already, per variant. */
  readonly #flushed = new Map<TaskPlanPolicy, PolicyCounters>();
  readonly #listeners: RequestListener[] = [];
  readonly #flushTimer?: NodeJS.Timeout;
  /** Flushes run one after another, so that no delta is added twice. */
  #flushing: Promise<boolean> = Promise.resolve(true);

  constructor(
    config: AppConfig,
    @Inject(REDIS_CONNECTION) private readonly redis: RedisConnection | null,
  ) {
    const { ttlSeconds, graceSeconds, minGenerationSeconds, earlyRefresh } = config.taskPlanCache;
    const base: PolicySettings = {
      ttlMs: ttlSeconds * 1000,
      graceMs: graceSeconds * 1000,
      minGenerationMs: minGenerationSeconds * 1000,
      earlyRefresh,
    };
    this.#experiment = config.experiment;
    const variants = this.#experiment?.variants ?? [{ name: 'default', weight: 1, overrides: {} }];
    this.#policies = variants.map(({ name, overrides: o }) => {
      return new TaskPlanPolicy(name, {
        ttlMs: o.ttlSeconds === undefined ? base.ttlMs : o.ttlSeconds * 1000,
        graceMs: o.graceSeconds === undefined ? base.graceMs : o.graceSeconds * 1000,
        minGenerationMs: o.minGenerationSeconds === undefined ? base.minGenerationMs : o.minGenerationSeconds * 1000,
        earlyRefresh: o.earlyRefresh ?? base.earlyRefresh,
      });
    });
    this.#weights = variants.map((variant) => variant.weight);
    if (this.#experiment && redis) {
      this.#flushTimer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
      this.#flushTimer.unref();
    }
  }

  /** The experiment's name, or undefined when none runs. */
  get experiment(): string | undefined {
    return this.#experiment?.name;
  }

  get policies(): readonly TaskPlanPolicy[] {
    return this.#policies;
  }

  /** How long entries must live for every policy to judge them: the longest TTL plus grace. */
  get retentionMs(): number {
    return Math.max(...this.#policies.map((policy) => policy.retentionMs));
  }

  /** The policy for a client: its variant's, the same on every instance. */
  policyFor(clientId: string): TaskPlanPolicy {
    if (!this.#experiment) return this.#policies[0];
    return this.#policies[assignVariant(this.#experiment.name, clientId, this.#weights)];
  }

  /** The policy when no client is known (background work). */
  get defaultPolicy(): TaskPlanPolicy {
    return this.#policies[0];
  }

  recordRequest(policy: TaskPlanPolicy, latencyMs: number): void {
    policy.counters.requests++;
    policy.counters.latencyMsSum += latencyMs;
    for (const listener of this.#listeners) listener(policy, latencyMs);
  }

  /** Called for every task-plan request with its policy and latency (the metrics' histogram). */
  onRequest(listener: RequestListener): void {
    this.#listeners.push(listener);
  }

  async report(): Promise<ExperimentReport> {
    const experiment = this.#experiment;
    if (!experiment) {
      throw new NotFoundException('No experiment is running: name a file of one in PLAN_CACHE_EXPERIMENTS_FILE');
    }
    const shared = this.redis ? await this.#sharedCounters(experiment.name) : undefined;
    const variants = experiment.variants.map((variant, index) => ({
      name: variant.name,
      weight: variant.weight,
      settings: this.#policies[index].settings,
      counters: shared?.[index] ?? this.#policies[index].counters,
    }));
    return experimentReport(experiment.name, variants, shared !== undefined);
  }

  /** Adds what was counted here since the last flush to the shared counters in Redis. */
  flush(): Promise<boolean> {
    this.#flushing = this.#flushing.then(() => this.#flushOnce());
    return this.#flushing;
  }

  async #flushOnce(): Promise<boolean> {
    const experiment = this.#experiment;
    const redis = this.redis;
    if (!experiment || !redis) return false;
    const snapshots = this.#policies.map((policy) => ({ policy, now: { ...policy.counters } }));
    return redis.guard.tryRun(async () => {
      const multi = redis.client.multi();
      for (const { policy, now } of snapshots) {
        const before = this.#flushed.get(policy) ?? new PolicyCounters();
        const key = redis.keys.experiment(experiment.name, policy.variant);
        for (const field of COUNTER_FIELDS) {
          const delta = now[field] - before[field];
          if (delta !== 0) multi.hIncrByFloat(key, field, delta);
        }
        multi.expire(key, COUNTERS_TTL_SECONDS);
      }
      await multi.exec();
      for (const { policy, now } of snapshots) this.#flushed.set(policy, Object.assign(new PolicyCounters(), now));
      return true;
    }, false);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.#flushTimer);
    await this.flush();
  }

  /** Every instance's counts, or undefined when Redis cannot give them now. */
  async #sharedCounters(experiment: string): Promise<PolicyCounters[] | undefined> {
    const redis = this.redis;
    if (!redis || !(await this.flush())) return undefined;
    return redis.guard.tryRun(async () => {
      const hashes = await Promise.all(
        this.#policies.map((policy) => redis.client.hGetAll(redis.keys.experiment(experiment, policy.variant))),
      );
      return hashes.map((hash) => {
        const counters = new PolicyCounters();
        for (const field of COUNTER_FIELDS) counters[field] = Number(hash[field] ?? 0);
        return counters;
      });
    }, undefined);
  }
}
