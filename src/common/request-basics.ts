import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The route's config, read once by the first hook: `request.routeOptions` builds a new object
     * on every read, which the hot path cannot afford twice (docs/load.md, the gap ladder).
     */
    routeConfig?: FastifyRequest['routeOptions']['config'];
  }
}

/**
 * What every request gets first: its id on the raw request (for the request logger) and on the
 * answer, `nosniff`, and its route's config. The headers go through Fastify (written once, with
 * the answer): a hijacked reply copies them itself (see PlanStreams).
 */
export function identifyRequest(request: FastifyRequest, reply: FastifyReply): void {
  (request.raw as typeof request.raw & { id?: string }).id = request.id;
  request.routeConfig = request.routeOptions.config;
  void reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff');
}

/** The route's config: as the first hook read it, or read now on an instance without that hook. */
export function routeConfigOf(request: FastifyRequest): NonNullable<FastifyRequest['routeConfig']> {
  return request.routeConfig ?? request.routeOptions.config;
}

export function installRequestBasics(fastify: FastifyInstance): void {
  fastify.decorateRequest('routeConfig', undefined);
  fastify.addHook('onRequest', (request, reply, done) => {
    identifyRequest(request, reply);
    done();
  });
}
