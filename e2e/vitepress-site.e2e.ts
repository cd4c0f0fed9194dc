// A VitePress site built for real: its buildEnd hook runs pagesense/vite's
// indexBuiltSite (from the built package) over the rendered pages, and the
// <pagesense-search> on one of its pages searches them in Chromium.
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, collectConsoleErrors, launch, watchForeignRequests } from './browser.ts';
import { serveStatic } from './static-server.ts';

const MODEL = 'pagesense-test/bert-tiny';
// Inside the repository, so VitePress resolves vue and its theme from node_modules.
const root = join(ARTIFACTS, 'vitepress-site', 'docs');
const outDir = join(root, '.vitepress', 'dist');
let server: Awaited<ReturnType<typeof serveStatic>>;
let session: Awaited<ReturnType<typeof launch>>;
let page: Page;
let consoleErrors: string[];
let foreign: string[];

beforeAll(async () => {
  rmSync(join(ARTIFACTS, 'vitepress-site'), { recursive: true, force: true });
  cpSync('test/fixtures/vitepress', root, { recursive: true });
  process.env['PAGESENSE_VITE'] = pathToFileURL(resolve('dist/vite.js')).href;
  process.env['PAGESENSE_OPTIONS'] = JSON.stringify({
    model: MODEL,
    localModelPath: resolve('public/models'),
    allowRemoteModels: false,
    cacheDir: join(root, '..', 'cache'),
    bundleModel: true,
  });
  const { build } = await import('vitepress');
  await build(root);
  server = await serveStatic(outDir);
  session = await launch();
  page = session.page;
  consoleErrors = collectConsoleErrors(page);
  foreign = watchForeignRequests(page, new URL(server.url).origin);
}, 180_000);
afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('a VitePress site with pagesense', () => {
  it('its build indexed the rendered pages: VitePress anchors, no sidebar or nav text', () => {
    const manifest = JSON.parse(readFileSync(join(outDir, 'pagesense', 'manifest.json'), 'utf8'));
    expect(manifest.counts.pages).toBeGreaterThanOrEqual(3);
    const passages = manifest.passages.flatMap((s: { file: string }) => JSON.parse(readFileSync(join(outDir, 'pagesense', s.file), 'utf8')));
    const fresnel = passages.find((p: { text: string }) => p.text.includes('Fresnel lens bends'));
    expect(fresnel).toMatchObject({ url: 'guide/lamps.html', anchor: 'the-fresnel-lens', headingPath: ['Lamps and lenses', 'The Fresnel lens'] });
    expect(passages.some((p: { text: string }) => /Skip to content|On this page|Search\s*⌘|Appearance/.test(p.text))).toBe(false);
    expect(existsSync(join(outDir, 'pagesense-assets', 'widget.js'))).toBe(true);
  });

  it('the element on a VitePress page answers lexically, then hybrid once the bundled model loads', async () => {
    await page.goto(`${server.url}search.html`);
    await page.waitForFunction(() => customElements.get('pagesense-search') !== undefined, undefined, { timeout: 30_000 });
    const search = (q: string) => page.evaluate((query) => (document.querySelector('pagesense-search') as any).search(query), q);
    const lexical = await search('fresnel prisms');
    expect(lexical.mode).toBe('lexical');
    expect(lexical.pages[0].page).toBe('guide/lamps.html');
    await page.locator('pagesense-search input').focus(); // warm="focus": the model loads now
    await page.waitForFunction(() => (document.querySelector('pagesense-search') as HTMLElement).dataset['mode'] === 'hybrid', undefined, { timeout: 60_000 });
    const hybrid = await search('one small flame seen twenty miles out at sea');
    expect(hybrid.mode).toBe('hybrid');
    expect(hybrid.pages.flatMap((p: { sub: { key: string }[] }) => p.sub.map((s) => s.key))).toContain('guide/lamps.html#the-fresnel-lens');
  });

  it('sent nothing off the origin (the model is bundled) and logged no errors', () => {
    expect(server.missing).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
