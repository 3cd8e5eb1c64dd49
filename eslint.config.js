// ESLint with typescript-eslint's type-aware rules (`npm run lint`; `npm test` runs it first).
// Rules that catch bugs stay on; the few turned off say why on their line.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'build/', 'template/', '.data/', '.tap/', 'web/dist/', 'web/src/schema.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Promises: none left floating, none handed where a callback's result is ignored.
      '@typescript-eslint/no-floating-promises': [
        'error',
        // tap queues a subtest itself and awaits it before the parent ends: t.test() is not left floating.
        { allowForKnownSafePromises: [{ from: 'package', package: '@tapjs/core', name: 'PromiseWithSubtest' }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      // `_name` marks what a signature or a destructuring must name but does not use.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // `typeof import('x')` types a module that is loaded lazily, on first use.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // A variable a teardown reads, registered before the value exists, is assigned once later.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Off: fastify handlers and ports are async to answer a promise, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
      // Off: ports are plain objects of closures without `this`; the rule cannot tell them from class methods.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Off for mongoose: lean documents and query results are typed loosely (any); every adapter
    // maps their fields by hand into the domain's types (toProduct, toUser, toOrder).
    files: ['adapters/mongo/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // Off in tests and the bench: answers are parsed JSON typed `any` on purpose, and the assertions check them.
    files: ['test/**', 'bench/**', 'functions/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // Test servers answer from async handlers: a failure there fails the test by its missing answer.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
    },
  },
  {
    // The configuration itself is plain JavaScript, outside the TypeScript project.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
  },
);
