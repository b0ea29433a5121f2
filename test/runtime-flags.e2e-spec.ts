import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/common/package-root.js';

const read = (file: string) => readFileSync(join(PACKAGE_ROOT, file), 'utf8');

describe('The Node flags the service runs with', () => {
  const flags = (JSON.parse(read('package.json')) as { config: { node_flags: string } }).config.node_flags.split(' ');

  it('are the same for npm start and the image', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'))?.[1];
    expect(JSON.parse(cmd ?? '[]')).toEqual(['node', ...flags, 'dist/main.js']);
    expect((JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start).toContain(
      'node $npm_package_config_node_flags dist/main.js',
    );
  });

  it('bound the young generation and keep the embedded database on the baseline WASM compiler', () => {
    expect(flags).toEqual(['--max-semi-space-size=8', '--liftoff-only']);
  });
});
