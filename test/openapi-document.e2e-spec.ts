import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { PACKAGE_ROOT } from '../src/common/package-root.js';
import { useTestApp } from './support/test-app.js';

type Operation = {
  security?: unknown[];
  responses: Record<string, { headers?: Record<string, { schema?: unknown }> }>;
};

describe('The OpenAPI document', () => {
  const t = useTestApp({ PLANS_CACHE_WARM: 'false' });
  let document: { paths: Record<string, Record<string, Operation>>; components: any };

  beforeAll(async () => {
    document = (await t().http.get('/docs-json').expect(200)).body;
  });

  it('is a valid OpenAPI document for client generators (swagger-parser validation)', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('gives every response header a schema', () => {
    const missing = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) =>
        Object.entries(operation.responses).flatMap(([status, response]) =>
          Object.entries(response.headers ?? {})
            .filter(([, header]) => header.schema === undefined)
            .map(([name]) => `${method.toUpperCase()} ${path} ${status} ${name}`),
        ),
      ),
    );
    expect(missing).toEqual([]);
  });

  it('says which operations need the admin token and which need nothing', () => {
    const unsaid = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => operation.security === undefined)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(unsaid).toEqual([]);
    expect(document.paths['/api/plans'].get.security).toEqual([]);
    expect(document.paths['/api/plans'].post.security).toEqual([{ bearer: [] }]);
    // The admin token is an opaque secret, not a JWT.
    expect(document.components.securitySchemes.bearer.bearerFormat).not.toBe('JWT');
  });

  it('is the document the console’s API types are generated from (docs/openapi.json, npm run openapi)', () => {
    const committed = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'docs', 'openapi.json'), 'utf8')) as unknown;
    expect(document).toEqual(committed);
  });
});
