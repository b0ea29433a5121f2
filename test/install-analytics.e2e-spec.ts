import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_ROOT } from '../src/common/package-root.js';

const run = promisify(execFile);

/**
 * The API docs' UI (swagger-ui-dist) depends on @scarf/scarf, whose postinstall reports every
 * install to scarf.sh. The root package opts out (`scarfSettings.enabled: false`, the opt-out
 * scarf documents for a root package; `skipTraversal` spares its `npm ls` walk of the tree, whose
 * 3-second deadline would otherwise decide what the script does): `npm ci` makes no analytics call.
 */
describe('Install-time analytics', () => {
  let collector: Server;
  let received = 0;

  beforeAll(async () => {
    // SCARF_LOCAL_PORT points scarf at plain HTTP on localhost: a report would land here.
    collector = createServer((request, response) => {
      received += 1;
      response.end('{}');
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

  it('opts the project out in package.json', () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));
    expect(manifest.scarfSettings).toEqual({ enabled: false, skipTraversal: true });
  });

  it('runs scarf’s postinstall as npm ci does and sends nothing: the script says the user opted out', async () => {
    const port = (collector.address() as AddressInfo).port;
    const { stdout, stderr } = await run(
      process.execPath,
      [join(PACKAGE_ROOT, 'node_modules/@scarf/scarf/report.js')],
      {
        cwd: join(PACKAGE_ROOT, 'node_modules/@scarf/scarf'),
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          // What npm sets for a lifecycle script: where the install started, and npm itself.
          INIT_CWD: PACKAGE_ROOT,
          npm_execpath: 'npm',
          npm_lifecycle_event: 'postinstall',
          SCARF_LOCAL_PORT: String(port),
          SCARF_VERBOSE: 'true',
        },
        timeout: 30_000,
      },
    );
    expect(stdout + stderr).toContain('User has opted out');
    expect(received).toBe(0);
  }, 40_000);
});
