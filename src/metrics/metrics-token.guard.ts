import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { BearerSecret } from '../common/index.js';
import { AppConfig } from '../config/index.js';

/**
 * /metrics with METRICS_TOKEN set: `Authorization: Bearer <METRICS_TOKEN>` (Prometheus's
 * `authorization` scrape setting), compared in constant time; 401 without it, 403 with another.
 * Without METRICS_TOKEN anyone who reaches the listener may read them (OPS_PORT keeps that internal).
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  readonly #secret: BearerSecret | undefined;

  constructor(config: AppConfig) {
    const token = config.operations.metricsToken;
    this.#secret = token === undefined ? undefined : new BearerSecret(token, 'metrics token', 'METRICS_TOKEN');
  }

  canActivate(context: ExecutionContext): boolean {
    this.#secret?.check(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization);
    return true;
  }
}
