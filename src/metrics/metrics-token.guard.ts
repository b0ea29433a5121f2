import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { secretMatcher } from '../common/secret-match.js';
import { AppConfig } from '../config/app-config.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * /metrics with METRICS_TOKEN set: `Authorization: Bearer <METRICS_TOKEN>` (Prometheus's
 * `authorization` scrape setting), compared in constant time; 401 without it, 403 with another.
 * Without METRICS_TOKEN anyone who reaches the listener may read them (OPS_PORT keeps that internal).
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  readonly #required: boolean;
  readonly #isMetricsToken: (token: string) => boolean;

  constructor(config: AppConfig) {
    this.#required = config.operations.metricsToken !== undefined;
    this.#isMetricsToken = secretMatcher(config.operations.metricsToken);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.#required) return true;
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    // A 401 says `WWW-Authenticate: Bearer` (HttpExceptionFilter).
    if (token === undefined) {
      throw new UnauthorizedException('Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>"');
    }
    if (!this.#isMetricsToken(token)) throw new ForbiddenException('The metrics token is not valid');
    return true;
  }
}
