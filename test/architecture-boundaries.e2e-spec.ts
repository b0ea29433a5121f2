import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { PACKAGE_ROOT } from '../src/common/package-root.js';

/**
 * The module graph and the modules' entry points are held by the lint (eslint.config.js,
 * eslint-plugin-boundaries). These cases run the project's own ESLint configuration on code
 * written into real files of src/, so that the type-aware parser knows them.
 */
describe('The module boundaries lint rule', () => {
  let eslint: ESLint;

  // The first lint starts the TypeScript project service: seconds on a busy machine.
  beforeAll(async () => {
    eslint = new ESLint({ cwd: PACKAGE_ROOT });
    await eslint.lintText('', { filePath: join(PACKAGE_ROOT, 'src/main.ts') });
  }, 120_000);

  /** The messages of the boundaries rules for `code` written in `file` (relative to the repository). */
  async function boundaryErrors(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: join(PACKAGE_ROOT, file) });
    const fatal = result.messages.filter((message) => message.fatal);
    expect(fatal).toEqual([]);
    return result.messages.filter((message) => message.ruleId?.startsWith('boundaries/')).map((m) => m.message);
  }

  /** A file of `folder` (relative to the repository) that is not an entry point. */
  function internalFileOf(folder: string, { spec = false } = {}): string {
    const found = readdirSync(join(PACKAGE_ROOT, folder), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts') && name.endsWith('.spec.ts') === spec)
      .filter((name) => name.includes('/') || (name !== 'index.ts' && !name.endsWith('.module.ts')))
      .sort();
    if (found.length === 0) throw new Error(`no ${spec ? 'spec' : 'internal'} file in ${folder}`);
    return join(folder, found[0]);
  }

  /** An import of `target` (relative to the repository) as `file` writes it. */
  function importOf(name: string, target: string, file: string, { typeOnly = false } = {}): string {
    let specifier = relative(join(PACKAGE_ROOT, file, '..'), join(PACKAGE_ROOT, target)).replace(/\.ts$/, '.js');
    if (!specifier.startsWith('.')) specifier = `./${specifier}`;
    return `import ${typeOnly ? 'type ' : ''}{ ${name} } from '${specifier}';\nexport type Used = typeof ${name};\n`;
  }

  const CHAT_MODULE = 'src/chat/chat.module.ts';
  const PLANS_MODULE = 'src/plans/plans.module.ts';

  it.each([
    ['chat', 'ChatModule', CHAT_MODULE],
    ['plans', 'PlansModule', PLANS_MODULE],
  ])('fails the engine (src/plan-cache) when it imports the domain %s', async (domain, name, target) => {
    const file = internalFileOf('src/plan-cache/cache');
    expect(await boundaryErrors(file, importOf(name, target, file))).toEqual([
      expect.stringContaining(`${domain} is not among the modules plan-cache may import`),
    ]);
  });

  it.each([
    ['chat', 'ChatModule', CHAT_MODULE],
    ['plans', 'PlansModule', PLANS_MODULE],
  ])('fails metrics when it imports the domain %s, even for a type', async (domain, name, target) => {
    const file = 'src/metrics/metrics.module.ts';
    expect(await boundaryErrors(file, importOf(name, target, file, { typeOnly: true }))).toEqual([
      expect.stringContaining(`${domain} is not among the modules metrics may import`),
    ]);
  });

  it("fails a module that reaches into another module's files instead of its index.ts", async () => {
    const file = internalFileOf('src/chat/task-plan-cache');
    const internal = internalFileOf('src/plan-cache/cache');
    expect(await boundaryErrors(file, importOf('x', internal, file, { typeOnly: true }))).toEqual([
      expect.stringContaining('import it from plan-cache/index.ts'),
    ]);
  });

  it('fails a module that imports the composition root (src/app.module.ts)', async () => {
    const file = internalFileOf('src/chat/task-plan-cache');
    expect(await boundaryErrors(file, importOf('AppModule', 'src/app.module.ts', file))).toEqual([
      expect.stringContaining('only the composition root'),
    ]);
  });

  it('passes a module that imports an allowed module through its index.ts and its *.module.ts', async () => {
    const file = internalFileOf('src/chat/task-plan-cache');
    const code =
      importOf('PlanCacheModule', 'src/plan-cache/plan-cache.module.ts', file) +
      importOf('CacheNamespace', 'src/plan-cache/index.ts', file).replace('Used', 'Namespace');
    expect(await boundaryErrors(file, code)).toEqual([]);
  });

  it("passes a spec that imports another module's files, and still fails it for a forbidden module", async () => {
    const spec = internalFileOf('src/plan-cache', { spec: true });
    const internal = internalFileOf('src/common');
    expect(await boundaryErrors(spec, importOf('x', internal, spec, { typeOnly: true }))).toEqual([]);
    expect(await boundaryErrors(spec, importOf('ChatModule', CHAT_MODULE, spec))).toEqual([
      expect.stringContaining('chat is not among the modules plan-cache may import'),
    ]);
  });
});
