import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** A response header in the OpenAPI document: every one has a schema (OpenAPI 3 requires it). */
export const stringHeader = (description: string) => ({ description, schema: { type: 'string' as const } });

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
