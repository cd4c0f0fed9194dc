// Vectors made by a remote engine, used by a real page: the built CLI indexes the
// fixture site with --embed-endpoint against the test server running as an fp16
// engine would (its /info says float16; its vectors are rounded to half precision);
// then in Chromium the page's own embeddings of those passages must stay within
// cosine 0.999 of what the engine made, and the element answers hybrid.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteManifest } from '../src/core/site-index.ts';
import type { Embedder } from '../src/embedding/embedder.ts';
import { loadTransformersEmbedder } from '../src/embedding/transformers-runtime.ts';
import { MODELS_ROOT } from '../scripts/forge/forge.ts';
import { startEmbeddingServer, type EmbeddingServer } from '../test/helpers/embedding-server.ts';
import { collectConsoleErrors, launch, watchForeignRequests } from './browser.ts';
import { pageCosinesAgainstIndex } from './page-embeddings.ts';
import { serveStatic } from './static-server.ts';

const MODEL = 'pagesense-test/bert-tiny';
const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'pagesense-remote-site-'));
const site = join(work, 'site');
let local: Embedder;
let engine: EmbeddingServer;
let server: Awaited<ReturnType<typeof serveStatic>>;
let session: Awaited<ReturnType<typeof launch>>;
let cliOutput = '';

beforeAll(async () => {
  cpSync('test/fixtures/site', site, { recursive: true });
  writeFileSync(join(site, 'favicon.ico'), '');
  local = await loadTransformersEmbedder({ model: MODEL, localModelPath: MODELS_ROOT + '/', device: 'cpu', dtype: 'fp32' });
  engine = await startEmbeddingServer(local, MODEL);
  engine.misconfig = { fp16: true, info: { dtype: 'float16' } };
  // execFile, not execFileSync: the engine answers from this process while the CLI runs.
  const { stdout, stderr } = await run(process.execPath, [
    'dist/cli.js',
    'index',
    site,
    ...['--model', MODEL, '--models', 'public/models', '--offline', '--cache', join(work, 'cache'), '--bundle-model'],
    ...['--embed-endpoint', engine.url, '--embed-api', 'tei'],
  ]);
  cliOutput = stdout + stderr;
  await run(process.execPath, ['dist/cli.js', 'assets', join(site, 'pagesense-assets')]);
  writeFileSync(
    join(site, 'search.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Search</title><link rel="icon" href="data:,"></head><body>
      <pagesense-search index="/pagesense/" warm="focus"></pagesense-search>
      <script type="module" src="/pagesense-assets/widget.js"></script></body></html>`,
  );
  server = await serveStatic(site);
  session = await launch();
}, 120_000);
afterAll(async () => {
  await session?.close();
  await server?.close();
  await engine?.close();
  await local?.dispose();
});

describe('an index embedded by a remote fp16 engine', () => {
  it('the CLI names the engine, warns about fp16, and records the parity figures in the manifest', () => {
    expect(cliOutput).toMatch(/embedding on 1 tei endpoint\(s\): pagesense-test\/bert-tiny@f0e316b0 \(float16\), version 1\.8\.0-test; canaries match/);
    expect(cliOutput).toMatch(/warning: .*float16/);
    expect(cliOutput).toMatch(/vectors by tei on 1 endpoint\(s\), sample parity: worst cosine (0\.9999|1\.0000)/);
    const m = JSON.parse(readFileSync(join(site, 'pagesense', 'manifest.json'), 'utf8')) as SiteManifest;
    expect(m.model.engine).toMatchObject({ api: 'tei', dtype: 'float16', endpoints: 1 });
    expect(m.model.engine!.parity.sample!.minCosine).toBeGreaterThanOrEqual(0.99975);
    expect(engine.requests.filter((r) => r.path === '/embed').length).toBeGreaterThan(6);
  });

  it('the page’s own embeddings of the passages stay within cosine 0.999 of the engine’s, and the element answers hybrid', async () => {
    const page = session.page;
    const errors = collectConsoleErrors(page);
    const foreign = watchForeignRequests(page, new URL(server.url).origin);
    await page.goto(`${server.url}search.html`);
    await page.waitForFunction(() => customElements.get('pagesense-search') !== undefined);
    const cosines = await pageCosinesAgainstIndex(page);
    expect(cosines.length).toBeGreaterThan(3);
    for (const c of cosines) expect(c).toBeGreaterThanOrEqual(0.999);
    await page.evaluate(() => (document.querySelector('pagesense-search') as any).engine.warm());
    await page.waitForFunction(() => (document.querySelector('pagesense-search') as HTMLElement).dataset['mode'] === 'hybrid', undefined, { timeout: 60_000 });
    const r = (await page.evaluate(() => (document.querySelector('pagesense-search') as any).search('fresnel lens prisms'))) as {
      sides: string[];
      pages: { page: string }[];
    };
    expect(r.sides).toEqual(['lexical', 'dense']);
    expect(r.pages[0]?.page).toBe('guide/lamps.html');
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });
});
