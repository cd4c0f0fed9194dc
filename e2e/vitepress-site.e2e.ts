// A VitePress site built for real: its buildEnd hook runs pagesense/vite's
// indexBuiltSite (from the built package) over the rendered pages, and the
// <pagesense-search> on one of its pages searches them in Chromium.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, collectConsoleErrors, launch, watchForeignRequests } from './browser.ts';
import { headerViews } from './header-search.ts';
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
  // A dozen more pages about lamps, so a search finds more than one screenful ("show more").
  mkdirSync(join(root, 'keepers'), { recursive: true });
  for (let i = 1; i <= 12; i++) {
    writeFileSync(
      join(root, 'keepers', `keeper-${i}.md`),
      `# Keeper ${i}\n\n## Duties\n\nKeeper ${i} trims the lamp wick at dusk and logs the lamp's beam every ${i + 1} hours.\n`,
    );
  }
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
    await page.locator('pagesense-search.nav-search input').focus(); // warm="focus": the model loads now
    await page.waitForFunction(() => (document.querySelector('pagesense-search') as HTMLElement).dataset['mode'] === 'hybrid', undefined, { timeout: 60_000 });
    const hybrid = await search('one small flame seen twenty miles out at sea');
    expect(hybrid.mode).toBe('hybrid');
    expect(hybrid.pages.flatMap((p: { sub: { key: string }[] }) => p.sub.map((s) => s.key))).toContain('guide/lamps.html#the-fresnel-lens');
  });

  it('in the navbar: a dropdown over the page that never moves it, fits 1280 and 390 px in light and dark, and passes axe-core', async () => {
    const views = await headerViews(session.context, `${server.url}guide/lamps.html`, 'pagesense-search.nav-search', '.VPNavBar', 'vitepress-navbar', 'lamp');
    for (const v of views) {
      // The page's layout is untouched: the navbar keeps its box, nothing is wider than the screen.
      expect(v.headerAfter).toEqual(v.headerBefore);
      expect(v.pageWidth).toBeLessThanOrEqual(v.width);
      expect(v.panel.left).toBeGreaterThanOrEqual(0);
      expect(v.panel.right).toBeLessThanOrEqual(v.width);
      expect(v.panel.top).toBeGreaterThan(0);
      // What a reader sees: a count, h1 titles without the site's suffix, clean URLs, no engine words.
      expect(v.status).toMatch(/^\d+ of \d+ pages$/);
      expect(v.text).not.toMatch(/Lighthouse Handbook|\blexical\b|\bsemantic\b|\bboth\b/);
      expect(v.links.filter((l) => /index\.html|\.html\.html/.test(l))).toEqual([]);
      // The page's picture (Pagefind's image meta in the page) beside its title, loaded from the site.
      expect(v.images).toEqual([expect.stringMatching(/\/lamp\.svg$/)]);
      expect(v.text).toContain('Revised spring 1890'); // its metadata (data-pagesense-meta) under the title
      expect(v.axe.filter((x) => x.impact === 'serious' || x.impact === 'critical')).toEqual([]);
      expect(v.errors).toEqual([]);
    }
    console.log(
      `vitepress navbar: axe ${JSON.stringify(views.map((v) => ({ width: v.width, scheme: v.scheme, axe: v.axe })))}; screenshots ${views.map((v) => v.screenshot).join(', ')}`,
    );
  });

  it('results a reader understands: show more, no results (saying semantic search is still loading), and no code-language label in excerpts', async () => {
    const p = await session.context.newPage();
    try {
      await p.goto(`${server.url}guide/lamps.html`);
      await p.waitForFunction(() => customElements.get('pagesense-search') !== undefined);
      const el = p.locator('pagesense-search.nav-search');
      const status = () => el.evaluate((e) => e.shadowRoot!.querySelector('.status')!.textContent);
      const shown = () => el.evaluate((e) => (e as any).results?.pages.length ?? 0);
      // A query with no lexical match, typed before the model has loaded.
      await el.evaluate((e) => (e as any).search('zzqxv'));
      expect(await status()).toMatch(/^No results for “zzqxv”\. Semantic search is still loading; results may follow\.$/);
      await el.evaluate((e) => (e as any).search('lamp'));
      expect(await shown()).toBe(8);
      const total = Number(/of (\d+) pages/.exec((await status())!)![1]);
      expect(total).toBeGreaterThanOrEqual(13); // the lamps page and the 12 keepers: all Pagefind matched, not only the pages loaded
      await el.locator('.more').click();
      await p.waitForFunction(() => (document.querySelector('pagesense-search.nav-search') as any).results.pages.length > 8);
      expect(await shown()).toBe(Math.min(16, total));
      const settings = await el.evaluate(async (e) => {
        const r = await (e as any).search('lamp settings paraffin rotation');
        return r.pages.flatMap((pg: any) => pg.sub.map((s: any) => s.excerpt.text)).join(' | ');
      });
      expect(settings).toContain('paraffin');
      expect(settings).not.toMatch(/\bjson\b/);
    } finally {
      await p.close();
    }
  });

  it('the modal: `/` and Ctrl-K open it with focus in the box, Escape closes it and focus goes back to its button', async () => {
    const p = await session.context.newPage();
    try {
      await p.goto(`${server.url}search.html`);
      await p.waitForFunction(() => customElements.get('pagesense-search') !== undefined);
      const modal = p.locator('pagesense-search[layout="modal"]');
      const state = () =>
        modal.evaluate((e) => ({ open: e.shadowRoot!.querySelector('dialog')!.open, focused: e.shadowRoot!.activeElement?.className ?? null }));
      await p.locator('body').click({ position: { x: 5, y: 400 } });
      await p.keyboard.press('/');
      expect(await state()).toEqual({ open: true, focused: 'query' });
      await p.keyboard.type('fresnel', { delay: 20 });
      await p.waitForFunction(() => (document.querySelector('pagesense-search[layout="modal"]') as any).results?.pages.length > 0);
      mkdirSync(join(ARTIFACTS, 'screenshots'), { recursive: true });
      await p.screenshot({ path: join(ARTIFACTS, 'screenshots', 'vitepress-modal-1280-light.png') });
      await p.keyboard.press('Escape');
      expect(await state()).toEqual({ open: false, focused: 'open' });
      await p.keyboard.press('Control+k');
      expect((await state()).open).toBe(true);
    } finally {
      await p.close();
    }
  });

  it('sent nothing off the origin (the model is bundled) and logged no errors', () => {
    expect(server.missing).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
