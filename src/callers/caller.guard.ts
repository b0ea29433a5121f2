import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Caller } from './caller.js';
import { CallerResolver } from './caller.resolver.js';

/** Resolves the caller of every request to the guarded routes: 401 for a token that does not verify. */
@Injectable()
export class CallerGuard implements CanActivate {
  constructor(private readonly callers: CallerResolver) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    request.caller = await this.callers.resolve(request);
    return true;
  }
}

/** The caller CallerGuard resolved, as a handler parameter. */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<FastifyRequest>().caller;
  if (!caller) throw new Error('CurrentCaller needs CallerGuard on the route');
  return caller;
});
