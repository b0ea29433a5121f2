import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { AppConfig } from '../config/index.js';
import type { RedisConnection } from '../plan-cache/index.js';
import { REDIS_CONNECTION } from '../plan-cache/index.js';

/**
 * Redis, when enabled: down fails readiness only with REDIS_REQUIRED=true; otherwise it is
 * reported as degraded (the service answers from memory and the source meanwhile).
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly config: AppConfig,
    @Inject(REDIS_CONNECTION) private readonly redis: RedisConnection | null,
  ) {}

  get enabled(): boolean {
    return this.redis !== null;
  }

  async check(): Promise<HealthIndicatorResult<'redis'>> {
    const session = this.health.check('redis');
    const redis = this.redis;
    if (!redis) return session.up({ enabled: false });
    const started = performance.now();
    const answered = await redis.guard.tryRun(() => redis.client.ping(), null);
    const { mode, primaries, failovers, fencing } = redis.state();
    const details = {
      mode,
      primaries,
      failovers,
      fencing,
      breaker: redis.guard.state,
      responseTime: Math.round(performance.now() - started),
    };
    if (answered === 'PONG' && redis.connected) return session.up(details);
    const message = 'Redis does not answer';
    return this.config.redis.requiredForReadiness
      ? session.down({ ...details, message })
      : session.degraded({ ...details, message });
  }
}
