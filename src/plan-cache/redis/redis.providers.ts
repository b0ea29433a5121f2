import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { AppConfig, redactUrls, type RedisTopology } from '../../config/index.js';
import { InvalidationBus } from '../bus/invalidation-bus.js';
import { EngineTunables } from '../tunables.js';
import { RedisConnection } from './redis-connection.js';

/** The cache's Redis connection, or null when PLAN_CACHE_REDIS_ENABLED is false. */
export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');
/** The invalidation bus, or null without Redis. */
export const INVALIDATION_BUS = Symbol('INVALIDATION_BUS');

export const redisProviders: Provider[] = [
  {
    provide: REDIS_CONNECTION,
    inject: [AppConfig],
    useFactory: ({ redis }: AppConfig) =>
      redis.enabled
        ? new RedisConnection({
            access: redis,
            keyPrefix: redis.keyPrefix,
            timeoutMs: redis.timeoutMs,
            breakerResetMs: EngineTunables.redis.breakerResetMs,
          })
        : null,
  },
  {
    provide: INVALIDATION_BUS,
    inject: [REDIS_CONNECTION],
    useFactory: (redis: RedisConnection | null) => (redis ? new InvalidationBus(redis) : null),
  },
];

/** Connects at start-up without waiting for Redis, and closes at shutdown. */
@Injectable()
export class RedisLifecycle implements OnModuleInit, OnApplicationShutdown {
  readonly #logger = new Logger('Redis');

  constructor(
    @Inject(REDIS_CONNECTION) private readonly redis: RedisConnection | null,
    @Inject(INVALIDATION_BUS) private readonly bus: InvalidationBus | null,
    private readonly config: AppConfig,
  ) {}

  /** Waits a little for Redis, so that warming can use it; never fails start-up. */
  async onModuleInit(): Promise<void> {
    if (!this.redis || !this.bus) return;
    this.redis.start();
    const where = describeTopology(this.config.redis.topology);
    if (await this.redis.ready(EngineTunables.redis.startupWaitMs)) {
      this.#logger.log(`Shared cache tier and invalidation bus on ${where}`);
    } else {
      this.#logger.warn(`Redis at ${where} is not reachable: starting degraded (memory and source only) until it is`);
    }
    await this.bus.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }
}

/** Where Redis is, for logs: the URL without its password, or the Sentinels or cluster seeds. */
function describeTopology(topology: RedisTopology): string {
  const list = (nodes: { host: string; port: number }[]) => nodes.map(({ host, port }) => `${host}:${port}`).join(',');
  switch (topology.mode) {
    case 'standalone':
      return redactUrls(topology.url);
    case 'sentinel':
      return `primary "${topology.masterName}" of the Sentinels ${list(topology.sentinels)}`;
    case 'cluster':
      return `the cluster of ${list(topology.nodes)}`;
  }
}
