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

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
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
  // Real servers on a two-core machine: starting an embedded database or a Redis takes seconds.
  testTimeout: 30_000,
  globalSetup: '<rootDir>/test/setup/pglite-template.setup.mjs',
  globalTeardown: '<rootDir>/test/setup/pglite-template.teardown.mjs',
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
