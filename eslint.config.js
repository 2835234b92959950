import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'tests/bench/results/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Browser code and code shared with the browser may not reach Node built-ins or Node-only modules.
    files: ['**/*.ts'],
    ignores: ['**/*.node.ts', '**/*.node.test.ts', 'hosts/node/**', 'hosts/workers/**', 'hosts/electron/**', 'tests/**', '*.config.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*'], message: 'Node built-ins belong in *.node.ts files.' },
          { group: ['**/*.node.ts', '**/*.node.js'], message: 'Node-only modules cannot be imported from code that runs in the browser.' },
          { group: ['better-sqlite3', 'ws'], message: 'Node-only packages belong in *.node.ts files.' },
        ],
      }],
    },
  },
  {
    // machines/ holds pure statecharts (DESIGN.md §1).
    files: ['machines/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*'], message: 'machines/ are pure: no Node built-ins.' },
          { group: ['**/actors/**', '**/hosts/**', '**/ui/**'], message: 'machines/ are pure: effects come in through .provide().' },
        ],
      }],
    },
  },
);
