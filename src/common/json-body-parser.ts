import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';
import { jsonShapeProblem } from './json-shape.js';

/** Methods whose requests carry no body by meaning; clients often send a JSON content type anyway. */
const BODYLESS_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS']);

/**
 * JSON only, on every route: Fastify's own JSON parser (prototype poisoning refused) for
 * `application/json` (with any parameters, `charset=utf-8` included), and 415 for anything else.
 * A form post is what any web page can send across origins without a preflight, so it must
 * never reach a handler, a cached answer or an admin action (NestJS registers a form parser at
 * init unless a catch-all is registered first). An empty body is no body
 * on a body-less method: many clients (react-admin, axios instances with default headers) send
 * `Content-Type: application/json` (or any type) on every request, DELETE included. An empty body where one is
 * expected, a JSON body that does not parse, or one too deep or with too many fields
 * (json-shape.ts), is still a 400.
 */
export function acceptJsonBodiesOnly(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit }, (request, body, done) => {
    if (body.length === 0 && BODYLESS_METHODS.has(request.method)) return done(null, undefined);
    void parseJson(request, body.toString('utf8'), (error: Error | null, parsed?: unknown) => {
      const problem = error ? undefined : jsonShapeProblem(parsed);
      done(problem ? new BadRequestException(problem) : error, problem ? undefined : parsed);
    });
  });
  // Fastify's text parser goes; the catch-all refuses every other type (and a body without one),
  // and keeps NestJS from adding its form parser.
  fastify.removeContentTypeParser('text/plain');
  app.useBodyParser<RawServerDefault>('*', { bodyLimit }, (request, body, done) => {
    if (body.length === 0 && BODYLESS_METHODS.has(request.method)) return done(null, undefined);
    done(notJson(request.headers['content-type']), undefined);
  });
}

export function notJson(contentType: string | undefined): UnsupportedMediaTypeException {
  return new UnsupportedMediaTypeException(
    `Send the body as JSON with "Content-Type: application/json" (got ${JSON.stringify(contentType ?? '')})`,
  );
}
