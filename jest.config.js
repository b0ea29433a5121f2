import process from 'node:process';

/**
 * NestJS 12 ships as ES modules, so the suites run in Jest's native ESM mode
 * (`--experimental-vm-modules`, set by `npm test`).
 * @type {import('jest').Config}
 */
const ESM_REQUIRED_FROM_CJS = '/node_modules/(content-disposition|@apidevtools/json-schema-ref-parser)/.+\\.js$';

/** Jest's loader lets CommonJS require ES modules from Node 24.9 on (require(esm) in its VM modules). */
const [major, minor] = process.versions.node.split('.').map(Number);
const LOADER_REQUIRES_ESM = major > 24 || (major === 24 && minor >= 9);

/**
 * The tests are compiled, not type-checked: `tsc --noEmit` in lint does the type-check once for the whole program,
 * while ts-jest type-checked every file again in every worker. swc emits what tsc would for this tsconfig
 * (ES2022 target, legacy decorators with their design-time metadata, which NestJS DI reads), and ES modules, as the
 * `--experimental-vm-modules` run needs; @swc/jest picks the module type from Jest itself.
 */
const SWC = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    target: 'es2022',
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
    keepClassNames: true,
  },
  sourceMaps: 'inline',
  swcrc: false,
};

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', SWC],
    // ES-module packages required by CommonJS ones (@fastify/static, swagger-parser): Node 20 allows that,
    // Jest's loader does not before Node 24.9, so there they are compiled to CommonJS for the tests.
    ...(LOADER_REQUIRES_ESM
      ? {}
      : { [ESM_REQUIRED_FROM_CJS]: ['babel-jest', { plugins: ['@babel/plugin-transform-modules-commonjs'] }] }),
  },
  ...(LOADER_REQUIRES_ESM
    ? {}
    : { transformIgnorePatterns: ['/node_modules/(?!(content-disposition|@apidevtools/json-schema-ref-parser)/)'] }),
};

export default {
  // Real servers on a two-core machine: starting an embedded database or a Redis takes seconds, and
  // many more on a machine busy with other work. A deadline for failing, not a measure: a test that
  // passes returns as soon as it is done.
  testTimeout: 60_000,
  // The suites wait mostly on servers (the app, Redis, PostgreSQL, Chromium) and are independent
  // (free ports, databases and directories of their own): two at a time keep both cores busy.
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/setup/run.setup.mjs',
  globalTeardown: '<rootDir>/test/setup/run.teardown.mjs',
  projects: [
    {
      ...common,
      displayName: 'unit',
      rootDir: '.',
      roots: ['<rootDir>/src', '<rootDir>/web/src'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      rootDir: '.',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
    },
  ],
};
