import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '.data/**', 'artifacts/**', 'domain/src/apono-openapi.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    // Plain JavaScript here is Node scripts (scripts/, bench/): Node's globals.
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'URL',
          'fetch',
          'Response',
          'Request',
          'Headers',
          'AbortSignal',
          'setTimeout',
          'clearTimeout',
          'Buffer',
        ].map((g) => [g, 'readonly']),
      ),
    },
  },
);
