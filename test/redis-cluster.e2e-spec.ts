import { askPlan } from './support/plan-requests.js';
import { TestRedisCluster } from './support/redis-topologies.js';
import { describeWith, OPENSSL, POSTGRES, REDIS_SERVER } from './support/services.js';
import {
  countKeys,
  itKeepsTheCachePromises,
  itKeepsThePromisesThroughAFailover,
  useInstancesOnTopology,
} from './support/topology-promises.js';

describeWith(
  REDIS_SERVER,
  POSTGRES,
  OPENSSL,
)('The cache on a Redis Cluster (3 primaries, 3 replicas, TLS, an ACL user)', () => {
  const instances = useInstancesOnTopology(() => TestRedisCluster.started({ tls: true }), {
    PLAN_CACHE_MIN_GEN_TIME: '0',
  });

  itKeepsTheCachePromises(instances);

  it('spreads a namespace over every primary, within a fifth of an even share', async () => {
    const [a, b] = instances.apps();
    instances.openai.latencyMs = 0;
    for (let batch = 0; batch < 30; batch++)
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => askPlan(i % 2 ? a : b, `Spread goal ${batch * 10 + i}`).expect(200)),
      );
    const cluster = instances.topology() as TestRedisCluster;
    const primaries = await cluster.primaryPorts();
    expect(primaries).toHaveLength(3);
    const counts = await Promise.all(primaries.map((port) => countKeys(cluster, port, 'plan-cache:{*}:plan:*')));
    const total = counts.reduce((sum, count) => sum + count, 0);
    expect(total).toBeGreaterThanOrEqual(300);
    for (const count of counts) expect(Math.abs(count / total - 1 / 3)).toBeLessThanOrEqual(0.2 / 3);
  });

  itKeepsThePromisesThroughAFailover(instances);
});
