import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/** `config` is the bottom and `common` sits on it; every other module may use both. */
const FOUNDATION = ['config', 'common'];

/**
 * Which module of src/ may import which: dependencies point one way (docs/decisions.md, "Module
 * boundaries"). The engine (`plan-cache`), the operations modules, `embeddings`, `config` and
 * `common` import no domain (`chat`, `plans`). A module missing here fails the lint until it is
 * placed; the composition root (src/*.ts) may import every module.
 */
export const moduleDependencies = {
  config: [],
  common: ['config'],
  tracing: [...FOUNDATION],
  lifecycle: [...FOUNDATION],
  logging: [...FOUNDATION, 'tracing'],
  database: [...FOUNDATION, 'tracing'],
  'plan-cache': [...FOUNDATION, 'tracing'],
  embeddings: [...FOUNDATION, 'tracing'],
  callers: [...FOUNDATION, 'plan-cache'],
  metrics: [...FOUNDATION, 'plan-cache'],
  health: [...FOUNDATION, 'database', 'lifecycle', 'plan-cache'],
  operations: [...FOUNDATION, 'health', 'lifecycle', 'metrics'],
  'web-console': [...FOUNDATION],
  chat: [...FOUNDATION, 'callers', 'database', 'embeddings', 'lifecycle', 'plan-cache', 'tracing'],
  plans: [...FOUNDATION, 'callers', 'database', 'plan-cache'],
  'cache-admin': [...FOUNDATION, 'chat', 'plan-cache'],
};

/** What another module may import from a module: its public surface (the specs excepted). */
export const MODULE_ENTRY_POINTS = ['index.ts', '*.module.ts'];

const moduleBoundaries = {
  files: ['src/**/*.ts'],
  plugins: { boundaries },
  settings: {
    'boundaries/root-path': import.meta.dirname,
    'import/resolver': { typescript: { project: `${import.meta.dirname}/tsconfig.json` } },
    'boundaries/elements': Object.keys(moduleDependencies).map((module) => ({
      type: module,
      pattern: `src/${module}`,
      partialMatch: false,
    })),
    // Every other file of src/ belongs to a module: a folder missing from moduleDependencies is unknown.
    'boundaries/files': [
      { category: 'composition-root', pattern: 'src/*.ts' },
      { category: 'spec', pattern: 'src/**/*.spec.ts' },
    ],
    'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
  },
  rules: {
    'boundaries/no-unknown-files': 'error',
    'boundaries/dependencies': [
      'error',
      {
        // The last policy that matches decides.
        default: 'allow',
        policies: [
          {
            disallow: { to: { element: { fileInternalPath: `!{${MODULE_ENTRY_POINTS.join(',')}}` } } },
            message:
              "{{to.element.fileInternalPath}} is inside {{to.element.type}}: import it from {{to.element.type}}/index.ts, the module's public surface",
          },
          { from: { file: { categories: 'spec' } }, allow: { to: { element: { fileInternalPath: '**' } } } },
          ...Object.entries(moduleDependencies).map(([module, uses]) => ({
            from: { element: { type: module } },
            disallow: { to: { element: { types: { noneOf: uses } } } },
            message: `{{to.element.type}} is not among the modules ${module} may import (${uses.join(', ') || 'none'}): eslint.config.js, moduleDependencies`,
          })),
          {
            from: { element: { isUnknown: false } },
            disallow: { to: { file: { categories: 'composition-root' } } },
            message: 'only the composition root (src/*.ts) imports the composition root',
          },
        ],
      },
    ],
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-bench/',
      'dist-tools/',
      'web/src/generated/',
      'coverage/',
      'data/',
      'drizzle/',
      'node_modules/',
      'reports/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'test/setup/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  moduleBoundaries,
  prettier,
);
