// `npm run build:package`: the installable package in dist/ (what `npm pack` ships; the demo site builds to site/).
//
//   index.js            the browser API ('pagesense'); comlink and idb bundled in
//   core.js             the pure core ('pagesense/core'); Node, Workers and pages
//   embed.worker.js     the embedding worker: transformers.js + onnxruntime-web's JS bundled in
//   vector-file.worker.js
//   ort/                onnxruntime-web's wasm runtime (.mjs glue + .wasm), once
//   widget.js           <pagesense-search> and createSiteSearch ('pagesense/widget')
//   cli.js              the `pagesense` command (index, assets, fetch-model)
//   vite.js, node.js    the Vite plugin ('pagesense/vite': the indexer after `vite build`) and createIndexer ('pagesense/node')
//   types/              .d.ts for every entry
//
// Every file is self-contained ESM with relative imports only, so a page with no
// bundler can serve the folder as it is, and a bundler (Vite, webpack 5) follows the
// literal `new URL('./…', import.meta.url)` references to the workers and ort/ files.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown, type Plugin, type RolldownOptions } from 'rolldown';
import { ORT_FILES, ortDistDir } from './vite/ort-assets.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PACKAGE_DIST = join(ROOT, 'dist');

/** Source references to the workers, as the package's flat layout names them. */
const WORKER_URLS: Record<string, string> = {
  '../../workers/embed.worker.ts': './embed.worker.js',
  '../../workers/vector-file.worker.ts': './vector-file.worker.js',
};

/** Swaps the repository's module for its package twin (`x.ts` → `x.package.ts`). */
function packageTwins(): Plugin {
  return {
    name: 'pagesense-package-twins',
    async resolveId(source, importer, options) {
      if (!source.endsWith('/ort-files.ts') || importer?.endsWith('ort-files.package.ts')) return null;
      const resolved = await this.resolve(source.replace(/\.ts$/, '.package.ts'), importer, { ...options, skipSelf: true });
      return resolved?.id ?? null;
    },
  };
}

/** Points `new Worker(new URL(…))` at the built worker beside the chunk. */
function workerUrls(): Plugin {
  return {
    name: 'pagesense-worker-urls',
    transform(code, id) {
      if (!id.includes('/src/')) return null;
      let out = code;
      for (const [from, to] of Object.entries(WORKER_URLS)) out = out.split(`'${from}'`).join(`'${to}'`);
      return out === code ? null : { code: out, map: null };
    },
  };
}

const browser = (input: Record<string, string>): RolldownOptions => ({
  input,
  platform: 'browser',
  // The extern-wasm build of onnxruntime-web loads its glue from wasmPaths instead of
  // embedding it and referencing a second copy of the .wasm.
  resolve: { conditionNames: ['onnxruntime-web-use-extern-wasm', 'import', 'module', 'browser', 'default'] },
  plugins: [packageTwins(), workerUrls()],
  treeshake: true,
});

/** Writes one bundle into dist/; returns the files it wrote (source maps left out). */
async function bundle(options: RolldownOptions, banner?: string, single = false): Promise<string[]> {
  const build = await rolldown({ ...options, logLevel: 'warn' });
  const { output } = await build.write({
    dir: PACKAGE_DIST,
    format: 'esm',
    // One file: its lazy imports (the lexical engine) are inlined rather than split off.
    ...(single ? { inlineDynamicImports: true } : {}),
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    sourcemap: true,
    minify: true,
    comments: { legal: true },
    ...(banner ? { banner } : {}),
  });
  await build.close();
  return output.map((o) => o.fileName).filter((f) => !f.endsWith('.map'));
}

/** The list `pagesense assets` and pagesense/vite copy: the files a browser loads, and nothing else. */
export const PAGE_FILES = 'page-files.json';

/** What `pagesense index` needs installed beside the package (see peerDependencies). */
const INDEXER_PEERS = ['@huggingface/transformers', 'onnxruntime-node', 'pagefind', 'sharp'];

/** Packages bundled into dist/, whose licenses travel with it. */
const BUNDLED = [
  '@huggingface/transformers',
  '@huggingface/jinja',
  '@huggingface/tokenizers',
  'onnxruntime-web',
  'onnxruntime-common',
  'comlink',
  'idb',
  'minisearch',
  'stemmer',
  // The indexer, in cli.js:
  'parse5',
  'entities',
  'markdown-it',
  'linkify-it',
  'mdurl',
  'uc.micro',
  'punycode.js',
  'js-yaml',
  'argparse',
  'cli-progress',
  'string-width',
  'strip-ansi',
  'ansi-regex',
  'emoji-regex',
  'is-fullwidth-code-point',
];

function thirdPartyNotices(): string {
  const parts = ['# Third-party software bundled in this package\n'];
  for (const name of BUNDLED) {
    const dir = join(ROOT, 'node_modules', name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string; license: string; author?: unknown };
    const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `${pkg.license} License, Copyright (c) Microsoft Corporation.`;
    parts.push(`## ${name} ${pkg.version} (${pkg.license})\n\n\`\`\`\n${text}\n\`\`\`\n`);
  }
  return parts.join('\n');
}

/**
 * tsc keeps the sources' `./x.ts` specifiers in declarations; a consumer's compiler
 * resolves `./x.js` to `x.d.ts` under every moduleResolution, so the types say that.
 */
function jsSpecifiersInTypes(dir: string): void {
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!f.endsWith('.d.ts')) continue;
    const file = join(dir, f);
    const text = readFileSync(file, 'utf8');
    const fixed = text.replace(/((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+)\.ts(['"])/g, '$1$2.js$3');
    if (fixed !== text) writeFileSync(file, fixed);
  }
}

export async function buildPackage(): Promise<void> {
  rmSync(PACKAGE_DIST, { recursive: true, force: true });
  mkdirSync(join(PACKAGE_DIST, 'ort'), { recursive: true });
  // The page side: both entries in one build so `pagesense` and `pagesense/core` share chunks.
  const api = await bundle(browser({ index: 'src/index.ts', core: 'src/core/index.ts' }));
  // The static-site widget alone: a site that only adds <pagesense-search> loads one file (and Pagefind's, and the worker later).
  const widget = await bundle(browser({ widget: 'src/widget.ts' }), undefined, true);
  // Each worker alone: one file with no imports, whatever loads it.
  const embedWorker = await bundle(browser({ 'embed.worker': 'workers/embed.worker.ts' }));
  const fileWorker = await bundle(browser({ 'vector-file.worker': 'workers/vector-file.worker.ts' }));
  const ort = ORT_FILES.map((f) => `ort/${f}`);
  // widget: what a page with only <pagesense-search> loads; all: every file any page may load.
  const pageFiles = { widget: [...widget, ...embedWorker, ...ort], all: [...api, ...widget, ...embedWorker, ...fileWorker, ...ort] };
  writeFileSync(join(PACKAGE_DIST, PAGE_FILES), JSON.stringify(pageFiles, null, 1));
  // The indexer's model runtime and Pagefind are native: optional peers the `index` command imports, not bundled.
  await bundle({ input: { cli: 'src/cli/main.ts' }, platform: 'node', treeshake: true, external: INDEXER_PEERS }, '#!/usr/bin/env node');
  await bundle({ input: { vite: 'src/vite-plugin.ts', node: 'src/node.ts' }, platform: 'node', treeshake: true, external: [...INDEXER_PEERS, 'vite'] });
  for (const file of ORT_FILES) copyFileSync(join(ortDistDir(), file), join(PACKAGE_DIST, 'ort', file));
  writeFileSync(join(PACKAGE_DIST, 'THIRD-PARTY-NOTICES.md'), thirdPartyNotices());
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.package.json')], { stdio: 'inherit' });
  jsSpecifiersInTypes(join(PACKAGE_DIST, 'types'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  await buildPackage();
  console.log(`package built in ${PACKAGE_DIST} (${Math.round(performance.now() - t0)} ms)`);
}
