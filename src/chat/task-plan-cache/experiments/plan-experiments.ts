import { Inject, Injectable, NotFoundException, type BeforeApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../../config/index.js';
import type { ExperimentSettings } from '../../../config/index.js';
import type { RedisConnection, RedisKeys } from '../../../plan-cache/index.js';
import { REDIS_CONNECTION } from '../../../plan-cache/index.js';
import { PolicyCounters, TaskPlanPolicy, type PolicySettings } from '../task-plan-policy.js';
import { experimentReport, type ExperimentReport } from './experiment-report.js';
import { assignVariant } from './variant-assignment.js';

const FLUSH_EVERY_MS = 1000;
/** Counters of an experiment nobody looks at any more leave Redis by themselves. */
const COUNTERS_TTL_SECONDS = 30 * 24 * 3600;
/** How long Redis remembers that a flush was applied: far longer than any retry of it. */
const FLUSH_MARK_TTL_MS = 3_600_000;

/**
 * Adds one flush's deltas unless a flush of that id was applied already: a flush whose reply
 * came too late (the deadline fired after Redis applied it) is sent again with the same id, and
 * counted once.
 * KEYS: the flush mark, then the counter hashes. ARGV: mark TTL, counters TTL, then per hash the
 * number of fields followed by field, delta pairs.
 */
const APPLY_FLUSH = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
local i = 3
for h = 2, #KEYS do
  local fields = tonumber(ARGV[i]); i = i + 1
  for _ = 1, fields do redis.call('HINCRBYFLOAT', KEYS[h], ARGV[i], ARGV[i + 1]); i = i + 2 end
  redis.call('EXPIRE', KEYS[h], ARGV[2])
end
return 1`;

/** A flush on its way to Redis: its id and the counts it brings them to. */
interface PendingFlush {
  id: string;
  snapshots: { policy: TaskPlanPolicy; now: PolicyCounters }[];
}

const COUNTER_FIELDS = [
  'requests',
  'hits',
  'misses',
  'stale',
  'plannerCalls',
  'savedMs',
  'savedInputTokens',
  'savedOutputTokens',
  'latencyMsSum',
  'servedAgeMsSum',
] as const satisfies readonly (keyof PolicyCounters)[];

/** Where the counters of one experiment variant live in Redis, summed over instances. */
export const experimentCountersKey = (keys: RedisKeys, experiment: string, variant: string): string =>
  keys.grouped(`experiment:${experiment}`, 'experiment', experiment, variant);

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
  #flushes = 0;
  /** A flush whose outcome Redis did not confirm: it may have been applied, so it is sent again as it was. */
  #unacknowledged?: PendingFlush;

  constructor(
    config: AppConfig,
    @Inject(REDIS_CONNECTION) private readonly redis: RedisConnection | null,
  ) {
    const { ttlMs, graceMs, minGenerationMs, earlyRefresh } = config.taskPlanCache;
    const base: PolicySettings = { ttlMs, graceMs, minGenerationMs, earlyRefresh };
    this.#experiment = config.experiment;
    const variants = this.#experiment?.variants ?? [{ name: 'default', weight: 1, overrides: {} }];
    this.#policies = variants.map(({ name, overrides }) => new TaskPlanPolicy(name, { ...base, ...overrides }));
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

  /** How long entries are fresh for the most lenient policy (the longest TTL); each policy narrows it to its own. */
  get freshnessMs(): number {
    return Math.max(...this.#policies.map((policy) => policy.settings.ttlMs));
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

  /** Sends the flush that is not acknowledged yet, if any (with its own id), then a new one. */
  async #flushOnce(): Promise<boolean> {
    if (!this.#experiment || !this.redis) return false;
    if (this.#unacknowledged && !(await this.#send(this.#unacknowledged))) return false;
    this.#unacknowledged = {
      id: `${this.redis.instanceId}:${++this.#flushes}`,
      snapshots: this.#policies.map((policy) => ({
        policy,
        now: Object.assign(new PolicyCounters(), policy.counters),
      })),
    };
    return this.#send(this.#unacknowledged);
  }

  async #send(flush: PendingFlush): Promise<boolean> {
    const experiment = this.#experiment!;
    const redis = this.redis!;
    const keys = [redis.keys.grouped(`experiment:${experiment.name}`, 'experiment-flush', experiment.name, flush.id)];
    const args = [String(FLUSH_MARK_TTL_MS), String(COUNTERS_TTL_SECONDS)];
    for (const { policy, now } of flush.snapshots) {
      const before = this.#flushed.get(policy) ?? new PolicyCounters();
      const deltas = COUNTER_FIELDS.filter((field) => now[field] !== before[field]);
      keys.push(experimentCountersKey(redis.keys, experiment.name, policy.variant));
      args.push(String(deltas.length), ...deltas.flatMap((field) => [field, String(now[field] - before[field])]));
    }
    const sent = await redis.guard.tryRun(async () => {
      await redis.client.eval(APPLY_FLUSH, { keys, arguments: args });
      return true;
    }, false);
    if (!sent) return false;
    for (const { policy, now } of flush.snapshots) this.#flushed.set(policy, now);
    this.#unacknowledged = undefined;
    return true;
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
        this.#policies.map((policy) =>
          redis.client.hGetAll(experimentCountersKey(redis.keys, experiment, policy.variant)),
        ),
      );
      return hashes.map((hash) => {
        const counters = new PolicyCounters();
        for (const field of COUNTER_FIELDS) counters[field] = Number(hash[field] ?? 0);
        return counters;
      });
    }, undefined);
  }
}
