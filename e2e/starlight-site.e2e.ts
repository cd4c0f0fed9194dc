// A second generator: a Starlight (Astro) site built for real, its header's search
// replaced by <pagesense-search>, indexed after `astro build` as `pagesense index dist`
// would, and driven in Chromium at 1280 and 390 px, light and dark.
import { cpSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launch, watchForeignRequests } from './browser.ts';
import { headerViews } from './header-search.ts';
import { serveStatic } from './static-server.ts';

// Inside the repository, so Astro resolves Starlight from node_modules.
const root = join(ARTIFACTS, 'starlight-site', 'site');
const outDir = join(root, 'dist');
let server: Awaited<ReturnType<typeof serveStatic>>;
let session: Awaited<ReturnType<typeof launch>>;
let foreign: string[];

beforeAll(async () => {
  rmSync(join(ARTIFACTS, 'starlight-site'), { recursive: true, force: true });
  cpSync('test/fixtures/starlight', root, { recursive: true });
  process.env['ASTRO_TELEMETRY_DISABLED'] = '1';
  const { build } = await import('astro');
  await build({ root, logLevel: 'error' });
  const { indexBuiltSite } = await import(resolve('dist/vite.js'));
  await indexBuiltSite(outDir, {
    model: 'pagesense-test/bert-tiny',
    localModelPath: resolve('public/models'),
    allowRemoteModels: false,
    cacheDir: join(root, '..', 'cache'),
    bundleModel: true,
  });
  server = await serveStatic(outDir);
  session = await launch();
  foreign = watchForeignRequests(session.page, new URL(server.url).origin);
}, 180_000);
afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('a Starlight site with pagesense in its header', () => {
  it('answers in the header at 1280 and 390 px, light and dark: the page never moves, Starlight titles and clean URLs, axe-core passes', async () => {
    const views = await headerViews(
      session.context,
      `${server.url}guide/lamps/`,
      'pagesense-search.header-search',
      'header.header',
      'starlight-header',
      'lamp',
    );
    for (const v of views) {
      expect(v.headerAfter).toEqual(v.headerBefore);
      expect(v.pageWidth).toBeLessThanOrEqual(v.width);
      expect(v.panel.left).toBeGreaterThanOrEqual(0);
      expect(v.panel.right).toBeLessThanOrEqual(v.width);
      expect(v.status).toMatch(/^\d+ (of \d+ )?pages?$/);
      // Starlight's h1 is the page title, and its <title> carries " | Lighthouse Handbook": the h1 is shown.
      expect(v.text).toContain('Lamps and lenses');
      // Nor Starlight's "Section titled …" anchor text, nor its 404 page.
      expect(v.text).not.toMatch(/\| Lighthouse Handbook|\bjson\b|Section titled|Page not found/);
      expect(v.links.length).toBeGreaterThan(0);
      expect(v.links.filter((l) => /index\.html/.test(l))).toEqual([]);
      expect(v.axe.filter((x) => x.impact === 'serious' || x.impact === 'critical')).toEqual([]);
      expect(v.errors).toEqual([]);
    }
    console.log(
      `starlight header: axe ${JSON.stringify(views.map((v) => ({ width: v.width, scheme: v.scheme, axe: v.axe })))}; screenshots ${views.map((v) => v.screenshot).join(', ')}`,
    );
    expect(server.missing).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
