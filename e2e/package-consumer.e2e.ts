// What ships, tested as a user meets it: `npm pack`, the tarball installed into scratch
// apps made here in a temp folder, then searched in real Chromium. One app is bundled by
// Vite; one is a plain <script type="module"> page fed by `pagesense assets`.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectConsoleErrors, launch, watchForeignRequests } from './browser.ts';

const ROOT = resolve(import.meta.dirname, '..');
const MODEL = 'pagesense-test/bert-tiny';
const MODEL_DIR = join(ROOT, 'public/models', MODEL);
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

// The same script in both apps; only the import specifier differs.
const appScript = (specifier: string) => `
import { createPagesense, isPagesenseError } from '${specifier}';
const docs = [
  { id: 'river', text: 'The copper lantern hangs by the river at dusk.' },
  { id: 'glacier', text: 'Glacier orchards grow pepper beside marble quarries.' },
  { id: 'harbor', text: 'A violet engine signals the harbor every morning.' },
];
try {
  const index = await createPagesense({ model: '${MODEL}', device: 'wasm', collection: 'consumer' });
  const added = await index.add(docs);
  const hits = await index.search(docs[0].text, { k: 3, mode: 'vector' });
  const hybrid = await index.search('violet engine', { k: 3 });
  let unknownOption = null;
  try { await createPagesense({ model: '${MODEL}', colection: 'typo' }); } catch (e) { unknownOption = isPagesenseError(e) ? e.code : String(e); }
  window.result = { added: added.added, hits: hits.map((h) => ({ id: h.id, score: h.score })), hybridFirst: hybrid[0] && [hybrid[0].id, hybrid[0].foundBy], isolated: crossOriginIsolated, unknownOption };
} catch (err) {
  window.result = { error: (err && err.code ? err.code + ': ' : '') + (err && err.message ? err.message : String(err)) };
}
`;

// The same collection's model, not hosted: createPagesense falls back to lexical search.
const OFFLINE_SCRIPT = `
import { createPagesense } from 'pagesense';
const events = [];
try {
  const index = await createPagesense({ model: 'Xenova/all-MiniLM-L6-v2', allowRemoteModels: false, device: 'wasm', collection: 'offline', onProgress: (p) => events.push(p.status) });
  const addCode = await index.add([{ id: 'x', text: 'new words' }]).then(() => null, (e) => e.code);
  window.result = { mode: index.info.mode, reason: index.info.reason, fallback: events.includes('fallback'), addCode, hits: await index.search('anything at all') };
} catch (err) {
  window.result = { error: (err && err.code ? err.code + ': ' : '') + (err && err.message ? err.message : String(err)) };
}
`;

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
}

async function serve(root: string, outDir: string, headers: Record<string, string>): Promise<{ server: PreviewServer; url: string }> {
  const server = await preview({
    root,
    configFile: false,
    logLevel: 'warn',
    appType: 'mpa',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, headers },
  });
  const addr = server.httpServer.address();
  if (!addr || typeof addr === 'string') throw new Error('preview server has no port');
  return { server, url: `http://127.0.0.1:${addr.port}/` };
}

interface PageResult {
  added?: number;
  hits?: { id: string; score: number }[];
  hybridFirst?: [string, string];
  mode?: string;
  reason?: string;
  fallback?: boolean;
  addCode?: string | null;
  isolated?: boolean;
  unknownOption?: string | null;
  error?: string;
}

async function runPage(url: string): Promise<{ result: PageResult; foreign: string[]; errors: string[]; requests: string[]; missing: string[] }> {
  const session = await launch();
  try {
    const origin = new URL(url).origin;
    const foreign = watchForeignRequests(session.page, origin);
    const errors = collectConsoleErrors(session.page);
    const requests: string[] = [];
    const missing: string[] = [];
    session.context.on('request', (r) => requests.push(r.url()));
    session.context.on('response', (r) => r.status() >= 400 && missing.push(`${r.status()} ${r.url()}`));
    await session.page.goto(url);
    await session.page.waitForFunction(() => (globalThis as { result?: unknown }).result !== undefined, undefined, { timeout: 120_000 });
    const result = (await session.page.evaluate(() => (globalThis as { result?: unknown }).result)) as PageResult;
    return { result, foreign, errors, requests, missing };
  } finally {
    await session.close();
  }
}

function expectSearched(run: Awaited<ReturnType<typeof runPage>>): void {
  expect(run.result.error).toBeUndefined();
  expect(run.result.added).toBe(3);
  expect(run.result.hits?.map((h) => h.id)[0]).toBe('river'); // the passage the query repeats word for word
  expect(run.result.hits).toHaveLength(3);
  expect(run.result.hits![0]!.score).toBeGreaterThan(0.99);
  expect(run.result.unknownOption).toBe('UNKNOWN_OPTION');
  // The default mode fuses BM25 with the model: the passage holding both query words comes first, found by both sides.
  expect(run.result.hybridFirst).toEqual(['harbor', 'both']);
  expect(run.foreign).toEqual([]);
  expect(run.missing).toEqual([]);
  expect(run.errors).toEqual([]);
  // onnxruntime's wasm came from the app's own origin, once.
  expect(run.requests.filter((u) => u.endsWith('.wasm'))).toHaveLength(1);
}

describe.skipIf(!existsSync(join(MODEL_DIR, 'onnx/model.onnx')))('the packed package, installed into scratch apps', () => {
  let work: string;
  let app: string;
  let tarball: string;
  const servers: PreviewServer[] = [];

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build:package` first (npm test does)');
    work = mkdtempSync(join(tmpdir(), 'pagesense-consumer-'));
    // --ignore-scripts: dist/ is already built by npm test; prepack would build it again.
    const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT)) as { filename: string }[];
    tarball = join(work, packed[0]!.filename);
    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }));
    // The package has no runtime dependencies, so this needs no registry.
    npm(['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], app);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installs with no dependencies and ships built files only, no TypeScript sources', () => {
    const installed = join(app, 'node_modules/pagesense');
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies?: object };
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(existsSync(join(installed, 'dist/index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist/types/src/index.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(installed, 'LICENSE'))).toBe(true);
  });

  it('its types check in a strict TypeScript app (no skipLibCheck), under bundler and node16 resolution', () => {
    writeFileSync(
      join(app, 'check.ts'),
      `import { createPagesense, type PagesenseOptions, type SearchHit } from 'pagesense';
import { createFlatIndex, quantizeEmbeddings, type QuantizedEmbeddings } from 'pagesense/core';
import { createSiteSearch, type SiteResults } from 'pagesense/widget';
export const site: Promise<SiteResults> = createSiteSearch({ index: '/pagesense/' }).search('hello');
const options: PagesenseOptions = { collection: 'docs', quantization: 'int8' };
export async function run(): Promise<SearchHit[]> {
  const index = await createPagesense(options);
  return index.search('hello', { k: 3 });
}
export const codes: QuantizedEmbeddings = quantizeEmbeddings([[0.1, 0.2]], 'int8');
export const flat = createFlatIndex({ dimension: 2 }).search(new Float32Array(2));
// @ts-expect-error an unknown option is a type error too
export const bad: PagesenseOptions = { colection: 'docs' };
`,
    );
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    for (const resolution of [
      ['--module', 'esnext', '--moduleResolution', 'bundler'],
      ['--module', 'node16', '--moduleResolution', 'node16'],
    ]) {
      const args = [tsc, '--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2023,dom,dom.iterable', ...resolution, 'check.ts'];
      try {
        execFileSync(process.execPath, args, { cwd: app, encoding: 'utf8' });
      } catch (err) {
        throw new Error(`tsc (${resolution.join(' ')}) failed:\n${(err as { stdout?: string }).stdout}`, { cause: err });
      }
    }
  });

  it('`pagesense --help` and `--version` run from the installed tarball; a mistake exits 2 with one line', () => {
    const bin = join(app, 'node_modules/.bin/pagesense');
    expect(execFileSync(bin, ['--help'], { encoding: 'utf8' })).toContain('assets <dir>');
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toBe(version);
    let failed: { status: number; stderr: string } | undefined;
    try {
      execFileSync(bin, ['frobnicate'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      failed = err as { status: number; stderr: string };
    }
    expect(failed?.status).toBe(2);
    expect(failed?.stderr.trim().split('\n')).toEqual([
      'pagesense: unknown command "frobnicate"; commands: assets, fetch-model, index, passages (see pagesense --help)',
    ]);
  });

  it("import('pagesense/core') works in plain Node: an exact search over a flat index", () => {
    const script = `
      import { createFlatIndex, cosSim, isPagesenseError } from 'pagesense/core';
      const index = createFlatIndex({ dimension: 4 });
      index.add(new Float32Array([1, 0, 0, 0, 0, 1, 0, 0, 0.6, 0.8, 0, 0]));
      const hits = index.search(new Float32Array([0, 1, 0, 0]), { k: 2 });
      let code; try { index.add(new Float32Array([NaN, 0, 0, 0])); } catch (e) { code = isPagesenseError(e) ? e.code : 'untyped'; }
      console.log(JSON.stringify({ hits, cos: cosSim([[1, 0]], [[0, 1]]).data[0], code }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: app, encoding: 'utf8' }));
    expect(out.hits.map((h: { index: number }) => h.index)).toEqual([1, 2]);
    expect(out.hits[1].score).toBeCloseTo(0.8, 5);
    expect(out.cos).toBe(0);
    expect(out.code).toBe('NON_FINITE_VECTOR');
  });

  it('a Vite app that imports `pagesense` builds, finds the workers and onnxruntime files itself, and searches in Chromium', async () => {
    writeFileSync(
      join(app, 'index.html'),
      '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>scratch</title><script type="module" src="./main.js"></script>',
    );
    writeFileSync(join(app, 'main.js'), appScript('pagesense'));
    writeFileSync(
      join(app, 'offline.html'),
      '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>offline</title><script type="module" src="./offline.js"></script>',
    );
    writeFileSync(join(app, 'offline.js'), OFFLINE_SCRIPT);
    cpSync(MODEL_DIR, join(app, 'public/models', MODEL), { recursive: true });
    await build({
      root: app,
      configFile: false,
      logLevel: 'warn',
      base: './',
      worker: { format: 'es' },
      build: { outDir: 'dist', target: 'es2022', rollupOptions: { input: { main: join(app, 'index.html'), offline: join(app, 'offline.html') } } },
    });
    // One copy of each runtime build (plain for WASM, asyncify for WebGPU), emitted by Vite from the package's own references.
    const wasm = execFileSync('find', [join(app, 'dist'), '-name', '*.wasm'], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(wasm).toHaveLength(2);
    expect(wasm.map((f) => f.replace(/^.*\//, '').replace(/-[\w-]{8}\.wasm$/, '.wasm')).sort()).toEqual([
      'ort-wasm-simd-threaded.asyncify.wasm',
      'ort-wasm-simd-threaded.wasm',
    ]);
    const { server, url } = await serve(app, 'dist', isolation);
    servers.push(server);
    const run = await runPage(url);
    expectSearched(run);
    expect(run.result.isolated).toBe(true);

    // A model the site does not host, with the Hub off: the page still gets an index, lexical only, and is told why.
    const offline = await runPage(`${url}offline.html`);
    expect(offline.result.error).toBeUndefined();
    expect(offline.result).toMatchObject({ mode: 'lexical', fallback: true, addCode: 'MODEL_UNAVAILABLE', hits: [] });
    expect(offline.result.reason).toContain('Xenova/all-MiniLM-L6-v2');
    expect(offline.foreign).toEqual([]); // allowRemoteModels: false asks no one else
  });

  it('a page with no bundler imports the files `pagesense assets` copied and searches, without cross-origin isolation', async () => {
    const site = join(work, 'plain');
    mkdirSync(site);
    const out = execFileSync(join(app, 'node_modules/.bin/pagesense'), ['assets', join(site, 'pagesense')], { encoding: 'utf8' });
    expect(out).toMatch(/^copied \d+ files/);
    expect(existsSync(join(site, 'pagesense/ort/ort-wasm-simd-threaded.asyncify.wasm'))).toBe(true);
    expect(existsSync(join(site, 'pagesense/ort/ort-wasm-simd-threaded.wasm'))).toBe(true);
    writeFileSync(
      join(site, 'index.html'),
      `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>plain</title><script type="module">${appScript('./pagesense/index.js')}</script>`,
    );
    cpSync(MODEL_DIR, join(site, 'models', MODEL), { recursive: true });
    // Most static hosts send no COOP/COEP: one WASM thread, no shared memory.
    const { server, url } = await serve(work, 'plain', {});
    servers.push(server);
    const run = await runPage(url);
    expectSearched(run);
    expect(run.result.isolated).toBe(false);
  });
});
