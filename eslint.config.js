// One lint set-up for the whole repository. Type-aware rules from STYLE.md §11, and the core
// boundary from DESIGN.md: packages/server/src/core depends only on its ports.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const DRIVERS_AND_TRANSPORTS = [
  'fastify',
  '@fastify/*',
  'ws',
  'better-sqlite3',
  'pg',
  'ioredis',
  'node:http',
  'node:net',
];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'coverage/**', '**/*.min.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['packages/server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: DRIVERS_AND_TRANSPORTS,
              message:
                'core/ depends only on the ports in core/ports.ts; transports and drivers belong in http/, ws/ or adapters/.',
            },
            {
              group: ['../http/*', '../ws/*', '../adapters/*', '../cli/*'],
              message: 'core/ must not import the shells around it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'packages/server/src/cli/**'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
);
