import { TestRedisSentinels } from './support/redis-topologies.js';
import { describeWith, OPENSSL, POSTGRES, REDIS_SERVER } from './support/services.js';
import {
  itKeepsTheCachePromises,
  itKeepsThePromisesThroughAFailover,
  useInstancesOnTopology,
} from './support/topology-promises.js';

describeWith(
  REDIS_SERVER,
  POSTGRES,
  OPENSSL,
)('The cache on a Redis watched by Sentinel (a primary, a replica, 3 Sentinels, TLS, an ACL user)', () => {
  const instances = useInstancesOnTopology(() => TestRedisSentinels.started({ tls: true }));

  itKeepsTheCachePromises(instances);
  itKeepsThePromisesThroughAFailover(instances);
});
