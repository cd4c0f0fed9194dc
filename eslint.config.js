// Lint: typescript-eslint's recommended rules, plus the layers as import rules, so a
// wrong-way import fails `npm run lint` (and `npm test`) instead of waiting for review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Relative imports that leave `from` for one of `to` (a path segment after any ../). */
const into = (...to) => ({ regex: `^(\\.\\./)+(${to.join('|')})(/|$|\\.ts$)`, message: '' });
const layer = (files, message, patterns, bare = []) => ({
  files,
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [...patterns.map((p) => ({ ...p, message })), ...(bare.length ? [{ group: bare, message }] : [])],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['.scratch/', 'dist/', 'site/', 'node_modules/', 'public/', 'test-results/', 'src/core/kernel/wasm/kernels.wasm.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off', // e2e reads page globals through `any`
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'always'],
    },
  },
  // Scripts, benchmarks and the CLI print: that is their output.
  { files: ['scripts/**', 'bench/**', 'src/cli/**', 'e2e/**', 'test/**'], rules: { 'no-console': 'off' } },

  // The pure core imports nothing outside core: no DOM-side layers, no runtime, no storage library.
  layer(
    ['src/core/**/*.ts'],
    'src/core is pure: it imports nothing outside src/core (see DESIGN.md, Layers)',
    [
      into(
        'storage',
        'search',
        'embedding',
        'platform',
        'demo',
        'cli',
        'models',
        'pagesense',
        'index',
        'workers',
        'indexer',
        'site',
        'widget',
        'node',
        'vite-plugin',
      ),
    ],
    ['idb', 'comlink', '@huggingface/*', 'onnxruntime-*', 'node:*'],
  ),
  // Models are pure data.
  layer(['src/models/**/*.ts'], 'src/models is pure data: it imports only src/core', [
    into('storage', 'search', 'embedding', 'platform', 'demo', 'cli', 'pagesense', 'index'),
  ]),
  // Storage never reaches up into search (or the entry points).
  layer(['src/storage/**/*.ts'], 'src/storage sits below src/search: it may not import search, embedding or the entry points', [
    into('search', 'embedding', 'demo', 'cli', 'pagesense', 'index'),
  ]),
  layer(['src/embedding/**/*.ts', 'src/platform/**/*.ts'], 'embedding and platform sit below search and storage', [
    into('search', 'storage', 'demo', 'cli', 'pagesense', 'index'),
  ]),
  // The demo uses the package as a user would: only the public entries, pagesense
  // (../index.ts) and pagesense/core (../core/index.ts).
  layer(['src/demo/**/*.ts'], 'the demo imports only the public entries (../index.ts, ../core/index.ts)', [
    { regex: '^(\\.\\./)+core/(?!index\\.ts$)', message: '' },
    into('storage', 'search', 'embedding', 'platform', 'models', 'cli', 'pagesense'),
  ]),
  // The static-site runtime runs in pages: nothing from the Node indexer, the CLI or storage.
  layer(['src/site/**/*.ts', 'src/widget.ts'], 'src/site runs in the page: it may not import the indexer, the CLI, storage or search', [
    into('indexer', 'cli', 'storage', 'search', 'demo', 'node', 'vite-plugin'),
  ]),
  // The indexer is Node-side and below the entry points; it never reaches into page code.
  layer(['src/indexer/**/*.ts'], 'src/indexer is the Node indexer: it may not import page code (site, demo, storage, search)', [
    into('site', 'demo', 'storage', 'search', 'widget', 'pagesense', 'index'),
  ]),
  // Wire protocols name interface files only, never implementations.
  {
    files: ['workers/*protocol.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./src/(?!core/progress\\.ts$|embedding/embedder\\.ts$|embedding/runtime-options\\.ts$)',
              message: 'wire protocols import interface files only (core/progress, embedding/embedder, embedding/runtime-options)',
            },
          ],
        },
      ],
    },
  },
);
