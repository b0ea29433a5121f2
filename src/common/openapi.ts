import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** A response header in the OpenAPI document: every one has a schema (OpenAPI 3 requires it). */
export const stringHeader = (description: string) => ({ description, schema: { type: 'string' as const } });

/** The security scheme of callers' JWTs on the plan routes. */
export const CALLER_JWT = 'caller-jwt';

/** The refusal headers of a spent budget (Retry-After, and the IETF httpapi RateLimit fields). */
export const RATE_LIMIT_HEADERS = {
  'Retry-After': stringHeader('Seconds until the caller may try again'),
  RateLimit: stringHeader(
    'The quota now, e.g. `"anonymous-generations";r=0;t=37` (draft-ietf-httpapi-ratelimit-headers)',
  ),
  'RateLimit-Policy': stringHeader('The quota, e.g. `"anonymous-generations";q=10;w=60`'),
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The OpenAPI document of the service, from its controllers and DTOs. Operations without a
 * security requirement say `security: []` (no credentials), so that generators and linters do
 * not have to guess.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Plan cache service')
      .setDescription('Task plans from a planner agent and billing plans, served from a tiered cache')
      .setVersion('0.1.0')
      .setLicense('UNLICENSED', '')
      .addServer('/', 'This instance')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'ADMIN_TOKEN' })
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A caller’s JWT (AUTH_JWKS_URL or AUTH_JWT_SECRET); optional while AUTH_ANONYMOUS=true',
        },
        CALLER_JWT,
      )
      .build(),
  );
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation && operation.security === undefined) operation.security = [];
    }
  }
  return document;
}
