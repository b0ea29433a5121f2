import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import { secretMatcher } from './secret-match.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Admin routes and billing mutations: `Authorization: Bearer <ADMIN_TOKEN>`.
 * 401 without credentials, 403 with wrong ones or when no token is configured; every answer
 * `Cache-Control: no-store`.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  readonly #configured: boolean;
  readonly #isAdminToken: (token: string) => boolean;

  constructor(config: AppConfig) {
    this.#configured = config.admin.token !== undefined;
    this.#isAdminToken = secretMatcher(config.admin.token);
  }

  canActivate(context: ExecutionContext): boolean {
    // Admin answers, refusals included, are for this caller only, now: nobody keeps them.
    void context.switchToHttp().getResponse<FastifyReply>().header('cache-control', 'no-store');
    if (!this.#configured) {
      throw new ForbiddenException('The admin API is disabled: set ADMIN_TOKEN to enable it');
    }
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (token === undefined) {
      throw new UnauthorizedException('Send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"');
    }
    if (!this.#isAdminToken(token)) {
      throw new ForbiddenException('The admin token is not valid');
    }
    return true;
  }
}
