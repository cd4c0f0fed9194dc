// A static documentation site, the way most users meet pagesense: one command after
// the site build, one element in the page. Fixture site → `pagesense index` (the
// built CLI) → a plain static server on 127.0.0.1 → <pagesense-search> in Chromium.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectConsoleErrors, launch, watchForeignRequests } from './browser.ts';
import { pageCosinesAgainstIndex } from './page-embeddings.ts';
import { serveStatic } from './static-server.ts';

const MODEL = 'pagesense-test/bert-tiny';
const work = mkdtempSync(join(tmpdir(), 'pagesense-site-'));
const site = join(work, 'site');
const cli = (...args: string[]) => execFileSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let server: Awaited<ReturnType<typeof serveStatic>>;
let session: Awaited<ReturnType<typeof launch>>;
let page: Page;
let consoleErrors: string[];
let foreign: string[];

type Results = { mode: string; pages: { page: string; title: string; sub: { key: string; heading: string; foundBy: string; excerpt: { text: string } }[] }[] };
const searchFor = (q: string) => page.evaluate((query) => (document.querySelector('pagesense-search') as any).search(query), q) as Promise<Results>;

/** Opens `path` on the test server in `p` and waits for the element to be defined. */
const openSite = async (p: Page, path: string) => {
  await p.goto(`${server.url}${path}`);
  await p.waitForFunction(() => customElements.get('pagesense-search') !== undefined);
};
/** Runs `use` in a new page of the same browser (its console and failed loads stay out of the main page's checks), then closes it. */
const inNewPage = async (use: (p: Page) => Promise<void>) => {
  const p = await session.context.newPage();
  try {
    await use(p);
  } finally {
    await p.close();
  }
};
/** Waits until the element answers hybrid (its model loaded). */
const hybridReady = (p: Page) =>
  p.waitForFunction(() => (document.querySelector('pagesense-search') as HTMLElement).dataset['mode'] === 'hybrid', undefined, { timeout: 60_000 });

beforeAll(async () => {
  cpSync('test/fixtures/site', site, { recursive: true });
  // A page whose text holds markup: it must show as text.
  writeFileSync(
    join(site, 'guide', 'logs.html'),
    '<html><head><title>Old logs</title></head><body><main><h2 id="fog">Fog horns</h2><p>The log reads &lt;img src=x onerror="globalThis.__xss=1"&gt; beside every fog horn entry.</p></main></body></html>',
  );
  writeFileSync(join(site, 'favicon.ico'), ''); // the fixture's pages name no icon; browsers ask for this one
  server = await serveStatic(site);
  session = await launch();
  page = session.page;
  consoleErrors = collectConsoleErrors(page);
  foreign = watchForeignRequests(page, new URL(server.url).origin);
}, 60_000);
afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('a static site searched with <pagesense-search>', () => {
  it('pagesense index writes the index, and a second run embeds nothing', () => {
    const common = [site, '--model', MODEL, '--models', 'public/models', '--offline', '--cache', join(work, 'cache')];
    const first = cli('index', ...common, '--bundle-model');
    expect(first).toMatch(/^indexed (\d+) passages from 4 pages into .* \(\1 embedded, 0 from the cache\) with pagesense-test\/bert-tiny/m);
    expect(first).toMatch(/the model \([\d.]+ MB\) is bundled in models\//);
    const second = cli('index', ...common, '--bundle-model');
    expect(second).toMatch(/\(0 embedded, \d+ from the cache\)/);
    cli('assets', join(site, 'pagesense-assets'));
    writeFileSync(
      join(site, 'search.html'),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Search</title><link rel="icon" href="data:,"></head><body>
        <pagesense-search index="/pagesense/" warm="focus" placeholder="Search the handbook"></pagesense-search>
        <script type="module" src="/pagesense-assets/widget.js"></script></body></html>`,
    );
  }, 120_000);

  it('answers the first query lexically from Pagefind, before the model loads, with sub-results by heading', async () => {
    await openSite(page, 'search.html');
    server.sent.clear();
    const r = await searchFor('fresnel lens prisms');
    expect(r.mode).toBe('lexical');
    expect(r.pages[0]).toMatchObject({ page: 'guide/lamps.html', title: 'Lamps and lenses' });
    expect(r.pages[0]!.sub.find((s) => s.key === 'guide/lamps.html#fresnel')).toMatchObject({
      foundBy: 'lexical',
      excerpt: { text: expect.stringContaining('Fresnel') },
    });
    // What the first answer cost: the widget was already loaded; Pagefind's runtime and index, and our manifest.
    const firstAnswer = [...server.sent].reduce((t, [, b]) => t + b, 0);
    const model = [...server.sent].filter(([p]) => p.includes('/models/')).length;
    expect(model).toBe(0);
    console.log(`static site: first answer fetched ${firstAnswer} bytes (${[...server.sent.keys()].join(', ')})`);
  });

  it('the lexical side indexes what the vector side does: no ignored, aside or footer text, no anchor glyphs', async () => {
    for (const [q, dropped] of [
      ['souvenir mugs', 'souvenir'],
      ['other handbooks', 'other handbooks'],
      ['Harbour Trust', 'harbour'],
    ]) {
      const excerpts = (await searchFor(q!)).pages.flatMap((p) => p.sub.map((s) => s.excerpt.text.toLowerCase()));
      expect(
        excerpts.filter((t) => t.includes(dropped!)),
        q,
      ).toEqual([]);
    }
    const welcome = (await searchFor('keepers tend the light')).pages.find((p) => p.page === '');
    expect(welcome?.sub.map((s) => s.heading)).toContain('Welcome');
    expect(welcome?.sub.every((s) => !s.excerpt.text.includes('#'))).toBe(true);
  });

  it('loads the model in the background, then answers hybrid: a paraphrase finds the section', async () => {
    await page.evaluate(() => (document.querySelector('pagesense-search') as any).engine.warm());
    await hybridReady(page);
    const r = await searchFor('one small flame seen twenty miles out at sea');
    expect(r.mode).toBe('hybrid');
    const subs = r.pages.flatMap((p) => p.sub);
    const fresnel = subs.find((s) => s.key === 'guide/lamps.html#fresnel');
    expect(fresnel?.foundBy).toMatch(/^(vector|both)$/);
    expect(subs.some((s) => s.foundBy !== 'lexical')).toBe(true);
  });

  it('a first visit fetches each model and runtime file once (a HEAD answers the runtime’s size check)', () => {
    const gets = server.requests.filter((r) => r.startsWith('GET ') && /\/(models|ort)\//.test(r));
    const perFile = new Map<string, number>();
    for (const g of gets) perFile.set(g, (perFile.get(g) ?? 0) + 1);
    expect([...perFile.keys()].some((k) => k.endsWith('.onnx'))).toBe(true);
    expect([...perFile.keys()].some((k) => k.endsWith('.wasm'))).toBe(true);
    expect([...perFile].filter(([, n]) => n !== 1)).toEqual([]);
    // The page runs on WASM (the test browser's WebGPU adapter is software): the plain build, never WebGPU's asyncify one.
    expect([...perFile.keys()].filter((k) => k.includes('/ort/')).sort()).toEqual([
      'GET /pagesense-assets/ort/ort-wasm-simd-threaded.mjs',
      'GET /pagesense-assets/ort/ort-wasm-simd-threaded.wasm',
    ]);
  });

  it('the page embeds the indexed passages as Node did: cosine ≥ 0.999 for each (same model, dtype, pooling)', async () => {
    const cosines = await pageCosinesAgainstIndex(page);
    expect(cosines.length).toBeGreaterThan(3);
    for (const c of cosines) expect(c).toBeGreaterThanOrEqual(0.999);
  });

  it('shows markup in a document as text, and moves through results with the keyboard', async () => {
    await page.locator('pagesense-search input').fill('fog horn log');
    // This query's own results: the previous test's are still on screen until they arrive.
    await page.waitForFunction(() => {
      const results = (document.querySelector('pagesense-search') as any).results;
      return results?.query === 'fog horn log' && results.pages.length > 0;
    });
    const shadowText = await page.evaluate(
      () => (document.querySelector('pagesense-search') as HTMLElement).shadowRoot!.querySelector('.results')!.textContent,
    );
    expect(shadowText).toContain('<img src=x');
    expect(await page.evaluate(() => (document.querySelector('pagesense-search') as HTMLElement).shadowRoot!.querySelectorAll('.results img').length)).toBe(0);
    expect(await page.evaluate(() => (globalThis as any).__xss)).toBeUndefined();
    const input = page.locator('pagesense-search input');
    await input.press('ArrowDown');
    const active = await input.getAttribute('aria-activedescendant');
    expect(active).toBe('pagesense-option-0');
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    const href = await page.evaluate(
      (id) => ((document.querySelector('pagesense-search') as HTMLElement).shadowRoot!.getElementById(id!) as HTMLAnchorElement).href,
      active,
    );
    await Promise.all([page.waitForURL(href), input.press('Enter')]);
  });

  it('with no warm attribute, a page view fetches no model or runtime bytes until the visitor focuses the box', async () => {
    writeFileSync(
      join(site, 'intent.html'),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intent</title><link rel="icon" href="data:,"></head><body>
        <pagesense-search index="/pagesense/"></pagesense-search><script type="module" src="/pagesense-assets/widget.js"></script></body></html>`,
    );
    const from = server.requests.length;
    const heavy = () => server.requests.slice(from).filter((r) => /\/models\/|\/ort\/|embed\.worker/.test(r));
    await openSite(page, 'intent.html');
    await page.waitForTimeout(5000); // past the 4 s the idle warm-up used to wait at most
    expect(heavy()).toEqual([]);
    // The browser's cache may hold them from the tests above: the element's own state says it never started.
    expect(await page.evaluate(() => (document.querySelector('pagesense-search') as any).engine.status.model)).toBe('idle');
    await page.locator('pagesense-search input').focus();
    await hybridReady(page);
  });

  it('a second visit (same browser profile, after a restart) fetches no model or runtime bytes and reaches hybrid', async () => {
    const profileDir = mkdtempSync(join(tmpdir(), 'pagesense-profile-'));
    const visit = async () => {
      const s = await launch({ profileDir });
      try {
        await openSite(s.page, 'intent.html');
        const t0 = Date.now();
        await s.page.locator('pagesense-search input').focus();
        await hybridReady(s.page);
        return Date.now() - t0;
      } finally {
        await s.close();
      }
    };
    const heavyBytes = () => [...server.sent].filter(([p]) => /\/models\/|\/ort\/|embed\.worker/.test(p)).reduce((t, [, b]) => t + b, 0);
    const before = heavyBytes();
    const firstMs = await visit();
    const firstBytes = heavyBytes() - before;
    const secondMs = await visit();
    const secondBytes = heavyBytes() - before - firstBytes;
    console.log(
      `static site: first visit ${firstBytes} model+runtime bytes, hybrid ${firstMs} ms after focus; second visit ${secondBytes} bytes, ${secondMs} ms`,
    );
    expect(firstBytes).toBeGreaterThan(1_000_000);
    expect(secondBytes).toBe(0);
  });

  it('a failed manifest is tried again by the next query, a vector shard that fails leaves a lexical answer with a notice, and nothing is left unhandled', async () => {
    await inNewPage(async (p) => {
      // its failed loads stay out of the main page's console check
      await p.addInitScript(() => {
        (globalThis as any).__unhandled = [];
        addEventListener('unhandledrejection', (e) => (globalThis as any).__unhandled.push(String(e.reason)));
        addEventListener('error', (e) => (globalThis as any).__unhandled.push(String(e.message)));
      });
      let manifestFailures = 1;
      await p.route('**/pagesense/manifest.json', (route) => (manifestFailures-- > 0 ? route.abort('connectionreset') : route.continue()));
      await openSite(p, 'intent.html');
      const search = (q: string) => p.evaluate((query) => (document.querySelector('pagesense-search') as any).search(query), q) as Promise<Results | undefined>;
      expect(await search('fresnel lens')).toBeUndefined(); // the blip: no answer, a status line
      expect(await p.locator('pagesense-search').evaluate((el) => el.shadowRoot!.querySelector('.status')!.textContent)).toBe(
        'Search is not available right now.',
      );
      expect((await search('fresnel lens prisms'))?.pages[0]?.page).toBe('guide/lamps.html'); // tried again
      await p.locator('pagesense-search input').focus();
      await hybridReady(p);
      await p.route('**/pagesense/passages-*', (route) => route.abort('connectionreset'));
      const degraded = (await search('one small flame seen twenty miles out at sea')) as Results & { notice?: string };
      expect(degraded.mode).toBe('lexical');
      expect(degraded.notice).toMatch(/^semantic results unavailable for this query/);
      await p.unroute('**/pagesense/passages-*');
      const healed = (await search('one small flame far out at sea')) as Results & { notice?: string };
      expect(healed.mode).toBe('hybrid');
      expect(healed.notice).toBeUndefined();
      expect(await p.evaluate(() => (globalThis as any).__unhandled)).toEqual([]);
    });
  });

  it('typing bursts: superseded queries never reach the model, and a stale answer never replaces a newer one', async () => {
    await inNewPage(async (p) => {
      await openSite(p, 'intent.html');
      const input = p.locator('pagesense-search input');
      await input.focus();
      await hybridReady(p);
      const embedded = () => p.evaluate(() => (document.querySelector('pagesense-search') as any).engine.queriesEmbedded as number);
      // 30 characters in about a second, as a visitor types.
      const typed = 'when does the keeper hand over';
      const before = await embedded();
      await input.pressSequentially(typed, { delay: 33 });
      await p.waitForFunction((q) => (document.querySelector('pagesense-search') as any).results?.query === q, typed);
      const typingEmbeddings = (await embedded()) - before;
      expect(typingEmbeddings).toBeGreaterThanOrEqual(1);
      expect(typingEmbeddings).toBeLessThanOrEqual(3);
      // 20 programmatic searches in one tick: every call resolves, only the last is shown, only it was embedded.
      const burst = await p.evaluate(async () => {
        const el = document.querySelector('pagesense-search') as any;
        const queries = Array.from({ length: 20 }, (_, i) => `lamp fuel question ${i}`);
        const start = el.engine.queriesEmbedded;
        const answers = await Promise.all(queries.map((q) => el.search(q)));
        return { resolved: answers.length, shown: el.results?.query, last: queries.at(-1), embedded: el.engine.queriesEmbedded - start };
      });
      expect(burst).toEqual({ resolved: 20, shown: burst.last, last: 'lamp fuel question 19', embedded: 1 });
      console.log(
        `static site: ${typed.length} characters typed in ~1 s ran ${typingEmbeddings} query embedding(s); 20 searches in one tick ran ${burst.embedded}`,
      );
    });
  });

  it('moved, the element keeps one set of listeners and its model; removed for good, it frees its worker', async () => {
    await inNewPage(async (p) => {
      await openSite(p, 'intent.html');
      const sameEngine = await p.evaluate(async () => {
        const el = document.querySelector('pagesense-search') as any;
        const engine = el.engine;
        const holder = document.createElement('div');
        document.body.append(holder);
        holder.append(el); // moved: disconnected and connected in one task
        document.body.append(el); // and back
        await new Promise((r) => setTimeout(r, 50));
        return el.engine === engine;
      });
      expect(sameEngine).toBe(true);
      // One set of listeners: one ArrowDown moves the cursor one option (listeners added twice would move it two).
      const input = p.locator('pagesense-search input');
      await input.fill('fog horn log');
      await p.waitForFunction(() => (document.querySelector('pagesense-search') as any).results?.query === 'fog horn log');
      await input.press('ArrowDown');
      expect(await input.getAttribute('aria-activedescendant')).toBe('pagesense-option-0');
      const freed = await p.evaluate(async () => {
        const el = document.querySelector('pagesense-search') as any;
        el.remove();
        await new Promise((r) => setTimeout(r, 50));
        return el.engine === undefined;
      });
      expect(freed).toBe(true);
    });
  });

  it('under a strict CSP the element answers lexically, then hybrid, with no violation, Trusted Types enforced too; without wasm-unsafe-eval it fails in words, never a spinner', async () => {
    writeFileSync(
      join(site, 'csp.html'),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CSP</title></head><body>
        <pagesense-search index="/pagesense/"></pagesense-search><script type="module" src="/pagesense-assets/widget.js"></script></body></html>`,
    );
    const strict = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; style-src 'self'";
    const outcomes: Record<string, unknown>[] = [];
    const trusted = `${strict}; require-trusted-types-for 'script'; trusted-types pagesense`;
    for (const policy of [strict, strict.replace(" 'wasm-unsafe-eval'", ''), trusted]) {
      server.headers['content-security-policy'] = policy; // on the page, the worker script and every file
      server.headers['cache-control'] = 'no-store'; // each policy's responses, never the other's from the cache
      const p = await session.context.newPage();
      try {
        await p.addInitScript(() => {
          (globalThis as any).__violations = [];
          addEventListener('securitypolicyviolation', (e) =>
            (globalThis as any).__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`.trim()),
          );
        });
        await openSite(p, 'csp.html');
        const lexical = (await p.evaluate(() => (document.querySelector('pagesense-search') as any).search('fresnel lens prisms'))) as Results | undefined;
        await p.locator('pagesense-search input').focus();
        await p.waitForFunction(() => ['ready', 'unavailable'].includes((document.querySelector('pagesense-search') as any).engine.status.model), undefined, {
          timeout: 60_000,
        });
        outcomes.push({
          lexical: lexical?.pages[0]?.page,
          status: await p.evaluate(() => (document.querySelector('pagesense-search') as any).engine.status),
          line: await p.evaluate(() => (document.querySelector('pagesense-search') as any).shadowRoot.querySelector('.status').textContent),
          violations: await p.evaluate(() => (globalThis as any).__violations),
        });
      } finally {
        await p.close();
        delete server.headers['content-security-policy'];
        delete server.headers['cache-control'];
      }
    }
    const [withWasm, withoutWasm, withTrustedTypes] = outcomes as [any, any, any];
    expect(withWasm).toMatchObject({ lexical: 'guide/lamps.html', status: { model: 'ready', mode: 'hybrid' }, violations: [] });
    // Pagefind needs WebAssembly too: with no 'wasm-unsafe-eval' neither side can run, and the element says so.
    expect(withoutWasm.lexical).toBeUndefined();
    expect(withoutWasm.status).toMatchObject({ model: 'unavailable', mode: 'lexical', reason: expect.stringContaining('Could not load model') });
    expect(withoutWasm.line).toBe('Search is not available right now.');
    // Trusted Types enforced: our worker starts through the 'pagesense' policy and Pagefind's excerpts parse through it.
    // Pagefind's own `new Worker(string)` is refused (its one report): it then searches on the main thread, as it answered.
    expect(withTrustedTypes).toMatchObject({ lexical: 'guide/lamps.html', status: { model: 'ready', mode: 'hybrid' } });
    expect(withTrustedTypes.violations).toEqual([
      expect.stringMatching(/^require-trusted-types-for trusted-types-sink .*\/pagefind\/pagefind\.js:\d+ Worker constructor/),
    ]);
  });

  it('logged no errors and sent nothing off the site origin', () => {
    expect(server.missing).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
