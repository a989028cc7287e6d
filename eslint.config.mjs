import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import portail from './eslint-rules/portail.mjs';

// Next's rules (React, hooks, imports, Core Web Vitals, TypeScript) and the whole of jsx-a11y's
// recommended set (Next registers the plugin but turns on only a few of its rules).
const config = [
  ...nextVitals,
  ...nextTs,
  { rules: jsxA11y.flatConfigs.recommended.rules },
  {
    rules: {
      // Unused names are errors, except the ones named `_…` on purpose (a handler's unused argument).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The house's rules (eslint-rules/portail.mjs, CONTRIBUTING.md).
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { portail },
    rules: {
      'portail/server-actions-wrapped': 'error',
      'portail/no-database-in-client': 'error',
      'portail/timestamptz-helper': 'error',
      'portail/raw-sql-location': 'error',
      'portail/layers': 'error',
    },
  },
  // The design card names next.config.js, a CommonJS file (package.json has no "type": "module").
  { files: ['next.config.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { ignores: ['.next/**', '.data/**', 'node_modules/**', 'next-env.d.ts', 'coverage/**'] },
];

export default config;
