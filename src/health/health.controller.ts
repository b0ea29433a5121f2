import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health.js';
import { ShutdownCoordinator } from '../lifecycle/index.js';
import { PlannerHealthIndicator } from './planner.health.js';
import { RedisHealthIndicator } from './redis.health.js';

function shuttingDown(): ServiceUnavailableException {
  return new ServiceUnavailableException({ status: 'shutting_down', message: 'Not ready: shutting down' });
}

/** Terminus's 503 carries the checks; the answer keeps them and says which failed. */
function notReady(error: unknown): unknown {
  if (!(error instanceof ServiceUnavailableException)) return error;
  const result = error.getResponse() as Partial<HealthCheckResult>;
  const failing = Object.keys(result.error ?? {});
  return new ServiceUnavailableException({ ...result, message: `Not ready: ${failing.join(', ') || 'unknown'} down` });
}

/** Terminus's answer; documented here, since its own decorator documents it only where it can `require` Swagger. */
const CHECK_RESULT = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] },
    info: { type: 'object', additionalProperties: true, description: 'The checks that are up' },
    error: { type: 'object', additionalProperties: true, description: 'The checks that are down' },
    details: { type: 'object', additionalProperties: true, description: 'Every check, e.g. database, redis, planner' },
    message: { type: 'string', description: 'On 503: what is not ready' },
  },
  required: ['status'],
};
const HEALTH_CHECK = { noCache: true, swaggerDocumentation: false };

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly planner: PlannerHealthIndicator,
    private readonly shutdown: ShutdownCoordinator,
  ) {}

  @Get('live')
  @HealthCheck(HEALTH_CHECK)
  @ApiOperation({ summary: 'The process is up' })
  @ApiOkResponse({ description: 'Up', schema: CHECK_RESULT })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck(HEALTH_CHECK)
  @ApiOperation({
    summary: 'The service can answer: the database responds; Redis and a remote planner are reported when configured',
  })
  @ApiOkResponse({ description: 'Ready; `details` has each check', schema: CHECK_RESULT })
  @ApiServiceUnavailableResponse({
    description: 'Not ready: shutting down, or a required check is down',
    schema: CHECK_RESULT,
  })
  async ready(): Promise<HealthCheckResult> {
    if (this.shutdown.shuttingDown) throw shuttingDown();
    try {
      const checks: HealthIndicatorFunction[] = [() => this.database.check()];
      if (this.redis.enabled) checks.push(() => this.redis.check());
      if (this.planner.enabled) checks.push(() => this.planner.check());
      return await this.health.check(checks);
    } catch (error) {
      throw notReady(error);
    }
  }
}
