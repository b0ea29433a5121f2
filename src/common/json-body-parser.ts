import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';

/** Methods whose requests carry no body by meaning; clients often send a JSON content type anyway. */
const BODYLESS_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS']);

/**
 * Fastify's own JSON parser (prototype poisoning refused), except that an empty body is no body
 * on a body-less method: many clients (react-admin, axios instances with default headers) send
 * `Content-Type: application/json` on every request, DELETE included. An empty body where one is
 * expected, or any body that is not JSON, is still a 400.
 */
export function acceptEmptyJsonOnBodylessMethods(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit }, (request, body, done) => {
    if (body.length === 0 && BODYLESS_METHODS.has(request.method)) return done(null, undefined);
    void parseJson(request, body.toString('utf8'), done);
  });
}
