import { createTestDatabase } from '../../test/support/postgres.js';
import { TestRedisCluster, TestRedisSentinels, type Topology } from '../../test/support/redis-topologies.js';
import { RedisKeys } from '../../src/plan-cache/redis/redis-keys.js';
import { EngineTunables } from '../../src/plan-cache/tunables.js';
import { adminHeaders, startService } from '../support/processes.js';
import type { StressResult } from '../support/results.js';

const BEFORE_KILL_MS = 2000;
/** How long the load goes on after the promotion. */
const AFTER_PROMOTION_MS = 12_000;
/** The issue's bound: bus, flight and tier back this long after the promotion. */
const BACK_WITHIN_MS = 10_000;
/** The design's bound on the bus delay between instances. */
const BUS_DELAY_MS = 100;
/** A write is held at most this long while its invalidation waits for Redis (plus its own work). */
const SLOWEST_WRITE_MS = EngineTunables.consistency.invalidationWaitMs + 1000;
const PLAN_ID = 1;

interface Ack {
  at: number;
  instance: number;
  price: number;
}

interface Read {
  startedAt: number;
  instance: number;
  price: number;
  cache: string | null;
}

/**
 * Two instances under billing reads and writes while the primary holding the list is killed
 * (kill -9) and a replica promoted: no request fails, no read after the promotion shows a list
 * older than an acknowledged write, and both instances report Redis up within 10 s.
 */
export const sentinelFailover = (): Promise<StressResult> => redisFailover('sentinel');
export const clusterFailover = (): Promise<StressResult> => redisFailover('cluster');

async function redisFailover(mode: 'sentinel' | 'cluster'): Promise<StressResult> {
  // The database first: without TEST_DATABASE_URL it fails before any server is left running.
  const database = await createTestDatabase();
  const topology: Topology =
    mode === 'sentinel'
      ? await TestRedisSentinels.started({ tls: false })
      : await TestRedisCluster.started({ tls: false });
  const instances = await Promise.all(
    [0, 1].map(() =>
      startService({
        DATABASE_URL: database.url,
        ...topology.variables(),
        LIMIT_ANONYMOUS_LIST_LOADS_PER_MINUTE: '1000000',
      }),
    ),
  );
  const acks: Ack[] = [];
  const reads: Read[] = [];
  let failures = 0;
  let requests = 0;
  /** The slowest acknowledgement of a write: held while its invalidation waits for Redis. */
  let slowestWriteMs = 0;
  let end = Number.POSITIVE_INFINITY;
  try {
    const writer = async () => {
      for (let price = 100; performance.now() < end; price++) {
        const instance = price % 2;
        const sentAt = performance.now();
        const response = await fetch(`${instances[instance].url}/api/plans/${PLAN_ID}`, {
          method: 'PATCH',
          headers: adminHeaders,
          body: JSON.stringify({ price: `${price}.00` }),
        });
        requests++;
        await response.arrayBuffer();
        slowestWriteMs = Math.max(slowestWriteMs, performance.now() - sentAt);
        if (response.status === 200) acks.push({ at: performance.now(), instance, price });
        else failures++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const reader = async (instance: number) => {
      while (performance.now() < end) {
        const startedAt = performance.now();
        const response = await fetch(`${instances[instance].url}/api/plans?user_id=1`);
        requests++;
        if (!response.ok) {
          failures++;
          await response.arrayBuffer();
          continue;
        }
        const plan = ((await response.json()) as { id: number; price: string }[]).find((one) => one.id === PLAN_ID);
        if (plan)
          reads.push({ startedAt, instance, price: Number(plan.price), cache: response.headers.get('x-cache') });
      }
    };
    const loops = [writer(), ...[0, 1, 0, 1].map(reader)];
    await new Promise((resolve) => setTimeout(resolve, BEFORE_KILL_MS));
    const listKey = new RedisKeys('plan-cache', mode === 'cluster').entry('plans', 'plans:user_1');
    const killedAt = performance.now();
    await topology.crashPrimaryLosingWrites(listKey, () => Promise.resolve());
    const promotedAt = performance.now();
    end = promotedAt + AFTER_PROMOTION_MS;
    const backAt = await untilRedisUp(
      instances.map((instance) => instance.url),
      end,
    );
    await Promise.all(loops);

    let stale = 0;
    let firstStale = '';
    for (const read of reads.filter(({ startedAt }) => startedAt > promotedAt)) {
      // A read started after an acknowledgement: on the same instance at once, on the other after the bus delay.
      const seen = acks.filter((ack) => ack.at + (ack.instance === read.instance ? 0 : BUS_DELAY_MS) <= read.startedAt);
      const newest = seen.reduce<Ack | undefined>(
        (best, ack) => (best && best.price > ack.price ? best : ack),
        undefined,
      );
      if (newest && read.price < newest.price) {
        stale++;
        firstStale ||=
          ` (the first: instance ${read.instance} at +${Math.round(read.startedAt - promotedAt)} ms showed ${read.price} (${read.cache}), ` +
          `${newest.price} acknowledged by instance ${newest.instance} at +${Math.round(newest.at - promotedAt)} ms)`;
      }
    }
    const backMs = backAt === undefined ? undefined : backAt - promotedAt;
    return {
      name: `Redis ${mode === 'sentinel' ? 'Sentinel' : 'Cluster'} failover under load (kill -9 of the primary)`,
      outcome:
        `${requests} requests, ${failures} failed, slowest write ${(slowestWriteMs / 1000).toFixed(1)} s; promotion ${((promotedAt - killedAt) / 1000).toFixed(1)} s after the kill; ` +
        `${reads.filter(({ startedAt }) => startedAt > promotedAt).length} reads after it, ${stale} older than an acknowledged write${firstStale}; ` +
        `Redis up on both instances ${backMs === undefined ? 'never' : `${(backMs / 1000).toFixed(1)} s`} after the promotion`,
      passed:
        failures === 0 &&
        stale === 0 &&
        slowestWriteMs <= SLOWEST_WRITE_MS &&
        backMs !== undefined &&
        backMs <= BACK_WITHIN_MS,
    };
  } finally {
    end = 0;
    await Promise.all(instances.map((instance) => instance.stop()));
    await topology.stop();
    await database.drop();
  }
}

/** When both instances first report Redis up in readiness, or undefined by `deadline`. */
async function untilRedisUp(urls: string[], deadline: number): Promise<number | undefined> {
  while (performance.now() < deadline) {
    const states = await Promise.all(
      urls.map(async (url) => {
        const response = await fetch(`${url}/health/ready`);
        const body = (await response.json()) as { info?: { redis?: { status?: string; failovers?: number } } };
        return body.info?.redis?.status === 'up';
      }),
    );
    if (states.every(Boolean)) return performance.now();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}
