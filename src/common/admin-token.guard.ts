import { ForbiddenException, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../config/index.js';
import { BearerSecret } from './bearer-secret.js';

/**
 * Admin routes and billing mutations: `Authorization: Bearer <ADMIN_TOKEN>`.
 * 401 without credentials, 403 with wrong ones or when no token is configured; every answer
 * `Cache-Control: no-store`.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  readonly #secret: BearerSecret | undefined;

  constructor(config: AppConfig) {
    const token = config.admin.token;
    this.#secret = token === undefined ? undefined : new BearerSecret(token, 'admin token', 'ADMIN_TOKEN');
  }

  canActivate(context: ExecutionContext): boolean {
    // Admin answers, refusals included, are for this caller only, now: nobody keeps them.
    void context.switchToHttp().getResponse<FastifyReply>().header('cache-control', 'no-store');
    if (!this.#secret) {
      throw new ForbiddenException('The admin API is disabled: set ADMIN_TOKEN to enable it');
    }
    this.#secret.check(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization);
    return true;
  }
}
