import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/common/package-root.js';
import { startTestApp, temporaryDataDir } from '../test/support/test-app.js';

/**
 * `npm run openapi`: writes the service's OpenAPI document to docs/openapi.json, the file the web
 * console's API types are generated from (and that a test holds equal to what the service serves).
 * The service runs as the tests run it, on a throwaway embedded database.
 */
const data = temporaryDataDir();
const app = await startTestApp({ DATA_DIR: data.dir, PLANS_CACHE_WARM: 'false' });
try {
  const { body } = (await app.http.get('/docs-json').expect(200)) as { body: unknown };
  writeFileSync(join(PACKAGE_ROOT, 'docs', 'openapi.json'), `${JSON.stringify(body, null, 2)}\n`);
} finally {
  await app.close();
  data.remove();
}
