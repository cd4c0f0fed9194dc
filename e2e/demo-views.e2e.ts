// The demo's three views, driven the way a person would in real Chromium: the
// search view with dropped files and their preview, the similarity matrix (hover,
// keyboard, communities, pairs, exports, poolings, 1,000 sentences), the engine
// view (facts, quantization, health check), the offline state, and screenshots at
// desktop and phone widths in light and dark, saved under test-results/screenshots.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ARTIFACTS, collectConsoleErrors, launch, watchForeignRequests } from './browser.ts';
import { openDemo, search, waitForCount } from './demo-page.ts';

const baseUrl = inject('baseUrl');
const origin = new URL(baseUrl).origin;
const TINY = 'pagesense-test/bert-tiny';
const SHOTS = join(ARTIFACTS, 'screenshots');
const figures: Record<string, unknown> = {};
const demo = (page: Page) => page.evaluate(() => (globalThis as any).pagesenseDemo);

/** Drops files on the drop zone the way a drag from the desktop does (a DataTransfer with File objects). */
async function dropFiles(page: Page, files: { name: string; type: string; text: string }[]): Promise<void> {
  await page.evaluate((fs) => {
    const dt = new DataTransfer();
    for (const f of fs) dt.items.add(new File([f.text], f.name, { type: f.type }));
    document.querySelector('#drop-zone')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
}

async function drawMatrix(page: Page): Promise<void> {
  const before = (await demo(page)).matrix.drawn;
  await page.click('#compute-matrix');
  await page.waitForFunction((n) => (globalThis as any).pagesenseDemo.matrix.drawn > n, before, { timeout: 180_000 });
}

describe('the demo, view by view', () => {
  let session: Awaited<ReturnType<typeof launch>>;
  let page: Page;
  let consoleErrors: string[];
  let foreign: string[];
  /** Bytes of every response since the page opened, until the first semantic answer is on screen. */
  const untilFirstAnswer = { counting: true, bytes: 0 };

  beforeAll(async () => {
    session = await launch();
    page = session.page;
    consoleErrors = collectConsoleErrors(page);
    foreign = watchForeignRequests(page, origin);
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    writeFileSync(join(ARTIFACTS, 'demo-figures.json'), JSON.stringify(figures, null, 2));
    console.log(`demo figures: ${JSON.stringify(figures)}`);
    await session?.close();
  });

  it('counts the bytes the page downloads before it is interactive, the model and its runtime apart', async () => {
    // Brotli for the page's own files; the runtime's (onnxruntime's 27 MB wasm) is `npm run size`'s job, which takes a minute to compress.
    const bytes = { page: 0, pageBrotli: 0, runtime: 0, model: 0 };
    let ready = false;
    const counted = new Promise<void>((resolve) => {
      page.on('response', async (res) => {
        // A HEAD (the worker's size check of a model file) or a 304 carries no body.
        if (!res.url().startsWith(origin) || res.request().method() === 'HEAD' || res.status() === 304) return;
        const path = new URL(res.url()).pathname;
        // A body the page streamed into WebAssembly is not kept: read the file the server sent instead.
        const body = await res.body().catch(() => readFileSync(join('site', decodeURIComponent(path))));
        if (untilFirstAnswer.counting) untilFirstAnswer.bytes += body.length;
        if (ready) return;
        const kind = path.includes('/models/') ? 'model' : /\/ort\/|embed\.worker/.test(path) ? 'runtime' : 'page';
        bytes[kind] += body.length;
        if (kind === 'page') bytes.pageBrotli += brotliCompressSync(body).length;
      });
      resolve();
    });
    await counted;
    await openDemo(page, baseUrl, TINY);
    ready = true;
    // The page itself (HTML, CSS, JS) stays small; onnxruntime's wasm is the runtime, loaded by the worker.
    expect(bytes.page).toBeGreaterThan(0);
    expect(bytes.runtime).toBeGreaterThan(bytes.page);
    // Each model file once (transformers.js's size check is a HEAD now, not a second download).
    const modelDir = join('public/models', TINY);
    const files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'].reduce((t, f) => t + statSync(join(modelDir, f)).size, 0);
    expect(bytes.model).toBeGreaterThan(0.9 * files);
    expect(bytes.model).toBeLessThanOrEqual(1.05 * files);
    figures['bytesBeforeInteractive'] = bytes;
  });

  it('a reload (second visit) requests no model file: the model comes from the Cache API', async () => {
    // Worker requests included (Playwright reports them on the page, cache hits too, so onnxruntime's files, which come
    // from the HTTP cache, still show here: the static-site e2e counts the bytes server-side, 0).
    const requested: string[] = [];
    const on = (req: Request) => {
      if (req.method() === 'GET' && /\/models\//.test(req.url())) requested.push(new URL(req.url()).pathname);
    };
    page.on('request', on);
    await openDemo(page, baseUrl, TINY);
    page.off('request', on);
    figures['reloadModelRequests'] = requested.length;
    expect(requested).toEqual([]);
    // Not vacuous: with the Cache API emptied, the same reload asks for the model again.
    await page.evaluate(async () => {
      for (const k of await caches.keys()) await caches.delete(k);
    });
    page.on('request', on);
    await openDemo(page, baseUrl, TINY);
    page.off('request', on);
    expect(requested.some((p) => p.endsWith('.onnx'))).toBe(true);
  });

  it('search: dropped files are previewed (HTML reduced to its main content), then indexed; results mark the words and say why', async () => {
    await page.click('#load-sample');
    await waitForCount(page, 24);
    const html = readFileSync('public/samples/tea.html', 'utf8');
    await dropFiles(page, [
      { name: 'tea.html', type: 'text/html', text: html },
      { name: 'notes.md', type: 'text/markdown', text: '# Notes\n\n## Kettles\n\nA kettle with a gooseneck spout pours slowly and precisely.' },
      { name: 'photo.png', type: 'image/png', text: 'not text' },
    ]);
    await page.waitForSelector('#preview:not([hidden])');
    const summary = await page.textContent('#preview-summary');
    expect(summary).toMatch(/^4 passages from 2 files/);
    expect(summary).toContain('skipped photo.png');
    const preview = (await page.textContent('#preview-list'))!;
    expect(preview).toContain('tea.html · html · 3 passages');
    expect(preview).toContain('Water temperature');
    // Navigation, footer and script are not content.
    expect(preview).not.toContain('navigation is dropped');
    expect(preview).not.toContain('footer is dropped');
    expect(preview).not.toContain('never runs');
    await page.click('#index-preview');
    await waitForCount(page, 28);

    await search(page, 'water temperature for green tea');
    untilFirstAnswer.counting = false;
    figures['bytesBeforeFirstSemanticAnswer'] = untilFirstAnswer.bytes;
    const first = page.locator('#results li').first();
    expect(await first.getAttribute('data-id')).toMatch(/^tea\.html#/);
    expect(await first.locator('.hit-title').textContent()).toBe('Brewing tea › Water temperature');
    const marks = await first.locator('mark').allTextContents();
    expect(marks.map((m) => m.toLowerCase())).toEqual(expect.arrayContaining(['green', 'tea', 'water']));
    expect(await first.locator('.hit-why').textContent()).toMatch(/^Why: .*shares the words/);
    expect(await first.locator('.hit-side').textContent()).toMatch(/lexical #1/);

    const collection = page.locator('#collections li', { hasText: `demo:${TINY}` });
    expect(await collection.textContent()).toContain('28 passages');
    await page.screenshot({ path: join(SHOTS, 'search-desktop-light.png'), fullPage: true });
  });

  it('tabs follow the arrow keys and keep the view in the URL', async () => {
    await page.focus('#tab-search');
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('#tab-matrix', 'aria-selected')).toBe('true');
    expect(await page.isVisible('#view-matrix')).toBe(true);
    expect(await page.isHidden('#view-search')).toBe(true);
    expect(new URL(page.url()).hash).toBe('#matrix');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-matrix');
  });

  it('similarity matrix: draws E·Eᵀ, and hover and the arrow keys name the cell and both sentences', async () => {
    await drawMatrix(page);
    const m = (await demo(page)).matrix;
    expect([m.rows, m.cols]).toEqual([12, 12]);
    await page.focus('#matrix-canvas .heatmap-overlay');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    // The cursor starts at row 1, column 1: the diagonal, a sentence with itself.
    expect(await page.textContent('#matrix-cell')).toMatch(/^1\.000 · row 1: “The bread rose overnight in a warm kitchen\.” · column 1:/);
    await page.keyboard.press('ArrowRight');
    expect(await page.textContent('#matrix-cell')).toMatch(/· column 2: “My laptop battery drains within two hours\.”$/);
    const box = (await page.locator('#matrix-canvas .heatmap-overlay').boundingBox())!;
    await page.mouse.move(box.x + box.width * (2.5 / 12), box.y + box.height * (5.5 / 12));
    expect(await page.isVisible('#matrix-canvas .heatmap-tip')).toBe(true);
    expect(await page.textContent('#matrix-canvas .heatmap-tip')).toContain('6. A long, slow proof gives sourdough its open crumb.');
    expect(await page.textContent('#matrix-canvas .heatmap-tip')).toContain('3. Knead the dough until it feels smooth and elastic.');
  });

  it('similarity matrix: communities reorder rows, pairs follow the threshold, CSV and PNG export, poolings compare', async () => {
    await page.selectOption('#matrix-order', 'community');
    await page.fill('#community-threshold', '0.5');
    expect(await page.textContent('#communities')).toMatch(/communit(y|ies) at cosine ≥ 0\.50/);
    await page.fill('#pair-threshold', '0');
    const loose = await page.locator('#pairs li').count();
    await page.fill('#pair-threshold', '0.99');
    const strict = await page.locator('#pairs li').count();
    expect(loose).toBeGreaterThan(strict);

    // A sentence a spreadsheet would run as a formula is exported as text.
    await page.fill('#sentences', '=HYPERLINK("http://example.com")\nA "quoted" sentence, with a comma\nplain words');
    await drawMatrix(page);
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const csv = readFileSync((await csvDownload.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(csv).toHaveLength(4);
    expect(csv[0]).toBe('"","\'=HYPERLINK(""http://example.com"")","A ""quoted"" sentence, with a comma","plain words"');
    expect(csv[2]!.split(',').slice(-3)[1]).toBe('1.0000');
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    expect(readFileSync((await pngDownload.path())!).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    await page.selectOption('#matrix-preset', { label: 'Questions × answers' });
    expect(await page.isChecked('#matrix-mode-two')).toBe(true);
    await drawMatrix(page);
    const m = (await demo(page)).matrix;
    expect([m.rows, m.cols]).toEqual([4, 6]);
    expect(await page.textContent('#pairs-summary')).toMatch(/of 4 queries have a passage/);

    await page.selectOption('#matrix-preset', { label: 'Three topics, shuffled' });
    await page.click('#compare-pooling');
    await page.waitForSelector('.pooling-pane[data-pooling="mean"]');
    expect(await page.textContent('.pooling-pane[data-pooling="cls"] figcaption')).toMatch(
      /CLS pooling \(the model card’s\) · mean cosine -?\d\.\d{3}, spread \(std\) \d\.\d{3}/,
    );
  });

  it('similarity matrix: 100 and 1,000 sentences draw, and hover still answers', async () => {
    const words = ['river', 'lantern', 'copper', 'meadow', 'signal', 'harbor', 'violet', 'engine', 'glacier', 'orchard', 'pepper', 'marble'];
    const timings: Record<number, unknown> = {};
    await page.check('#matrix-mode-one');
    for (const n of [100, 1000]) {
      await page.selectOption('#matrix-order', 'input');
      const lines = Array.from({ length: n }, (_, i) => `The ${words[i % 12]} near the ${words[(i * 7 + 3) % 12]} was seen on day ${i}.`);
      await page.fill('#sentences', lines.join('\n'));
      await drawMatrix(page);
      const m = (await demo(page)).matrix;
      expect([m.rows, m.cols]).toEqual([n, n]);
      await page.locator('#matrix-canvas .heatmap-overlay').scrollIntoViewIfNeeded();
      const box = (await page.locator('#matrix-canvas .heatmap-overlay').boundingBox())!;
      const t0 = Date.now();
      for (let i = 0; i < 20; i++) await page.mouse.move(box.x + box.width * (0.1 + i * 0.04), box.y + box.height * 0.5);
      const hoverMs = (Date.now() - t0) / 20;
      expect(await page.textContent('#matrix-canvas .heatmap-tip')).toContain('was seen on day');
      const before = (await demo(page)).matrix.drawn;
      await page.selectOption('#matrix-order', 'community');
      await page.waitForFunction((b) => (globalThis as any).pagesenseDemo.matrix.drawn > b, before);
      const { communityMs } = (await demo(page)).matrix;
      expect(communityMs).toBeGreaterThan(0);
      timings[n] = {
        embedMs: Math.round(m.embedMs),
        matrixMs: +m.matrixMs.toFixed(1),
        drawMs: +m.drawMs.toFixed(1),
        communityMs: +communityMs.toFixed(1),
        hoverMsPerMove: +hoverMs.toFixed(1),
      };
    }
    await page.fill('#sentences', Array.from({ length: 1001 }, (_, i) => `line ${i}`).join('\n'));
    await page.click('#compute-matrix');
    await page.waitForSelector('#error:not([hidden])');
    expect(await page.textContent('#error')).toContain('At most 1000 sentences per list (got 1001)');
    await page.evaluate(() => (document.querySelector('#error') as HTMLElement).setAttribute('hidden', ''));
    figures['matrix'] = { model: TINY, ...timings };
  });

  it('engine: says what runs, splits the last query, compares precisions, and its health check passes', async () => {
    await page.click('#tab-search');
    await search(page, 'keep a cast iron pan from rusting');
    await page.click('#tab-engine');
    await page.waitForFunction(() => /embed .* scan .* fetch/.test(document.querySelector('#engine-facts')?.textContent ?? ''));
    const facts = (await page.textContent('#engine-facts'))!;
    expect(facts).toContain(`${TINY} (generated test model`);
    expect(facts).toMatch(/Devicewasm: /);
    expect(facts).toContain('28 vectors');
    await page.click('#compare-quant');
    await page.waitForFunction(() => (globalThis as any).pagesenseDemo.quantizationCompared > 0);
    const rows = await page.$$eval('#quant-rows tr', (trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent)));
    expect(rows.map((r) => r[0])).toEqual(['float32', 'int8', 'binary']);
    expect(rows[0]![4]).toBe('1.00'); // float32 against itself
    expect(Number(rows[1]![4])).toBeGreaterThanOrEqual(0.6);
    // Bytes per vector: 32 dims as float32 (128), int8 padded to 32, bits padded to 16.
    expect(rows.map((r) => r[1])).toEqual(['128 B', '32 B', '16 B']);
    await page.click('#health-check');
    await page.waitForFunction(() => (globalThis as any).pagesenseDemo.health.ran === 5, undefined, { timeout: 120_000 });
    const health = (await demo(page)).health;
    expect(health.failed).toBe(0);
    expect(health.passed).toBeGreaterThanOrEqual(4);
    expect(await page.locator('#health-results .check-pass').count()).toBe(health.passed);
  });

  it('looks right at desktop and phone widths, light and dark, with nothing wider than the screen', async () => {
    for (const [width, height, label] of [
      [1280, 900, 'desktop'],
      [390, 844, 'phone'],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const view of ['search', 'matrix', 'engine']) {
          await page.click(`#tab-${view}`);
          if (view === 'matrix') {
            await page.selectOption('#matrix-preset', { label: 'Three topics, shuffled' });
            await drawMatrix(page);
            await page.hover('#matrix-canvas .heatmap-overlay', { position: { x: 40, y: 60 } });
          }
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
          await page.screenshot({ path: join(SHOTS, `${view}-${label}-${scheme}.png`), fullPage: true });
        }
      }
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await bg()).toBe('rgb(17, 17, 20)');
    // The switch wins over the system's choice: system → light → dark → system, remembered.
    await page.click('#theme-toggle');
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    expect(await bg()).toBe('rgb(246, 246, 248)');
    await page.reload();
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    await page.click('#theme-toggle');
    await page.click('#theme-toggle');
    expect(await page.getAttribute('html', 'data-theme')).toBeNull();
  });

  it('serves its icon, social preview and sample files from public/, and names them in the page', async () => {
    for (const [path, type] of [
      ['icon.svg', 'image/svg+xml'],
      ['social-preview.png', 'image/png'],
      ['samples/night-sky.md', 'text/markdown'],
      ['samples/tea.html', 'text/html'],
      ['samples/knots.txt', 'text/plain'],
    ] as const) {
      const res = await page.request.get(new URL(path, baseUrl).href);
      expect(res.status(), path).toBe(200);
      expect(res.headers()['content-type'], path).toContain(type);
    }
    expect(await page.getAttribute('meta[property="og:image"]', 'content')).toBe('./social-preview.png');
    expect(await page.getAttribute('link[rel="icon"]', 'href')).toBe('./icon.svg');
  });

  it('logged no errors and sent nothing off the page origin', () => {
    expect(consoleErrors).toEqual([]);
    expect(foreign).toEqual([]);
  });
});

describe('the demo with no model to load', () => {
  it('searches the sample corpus lexically at once, with a banner that gives the one command to self-host the model', async () => {
    const { page, close } = await launch();
    const consoleErrors = collectConsoleErrors(page);
    const foreign = watchForeignRequests(page, origin);
    try {
      // The default model is the real BGE-small, which this test machine neither hosts nor can download.
      await page.goto(baseUrl);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
      expect(await page.isVisible('#offline-banner')).toBe(true);
      expect(await page.textContent('#offline-command')).toBe('npx pagesense fetch-model Xenova/bge-small-en-v1.5 --dtype q8');
      expect(await page.textContent('#offline-reason')).toContain('Could not load model "Xenova/bge-small-en-v1.5"');
      expect(await page.textContent('#mode-badge')).toBe('lexical only');
      expect(await page.textContent('#index-status')).toMatch(/^24 passages indexed \(in memory, lexical only/);
      expect(await page.isHidden('#error')).toBe(true);
      const hits = await search(page, 'cast iron pan');
      expect(hits[0]?.id).toBe('sample-03');
      expect(await page.textContent('#results li .hit-side')).toMatch(/^lexical lexical #1/);
      await page.click('#tab-matrix');
      expect(await page.isDisabled('#compute-matrix')).toBe(true);
      expect(await page.textContent('#matrix-status')).toContain('needs the model');
      await page.screenshot({ path: join(SHOTS, 'offline-desktop-light.png'), fullPage: true });
      expect(consoleErrors).toEqual([]);
      // The one request that may leave: the Hub, where real weights come from unless self-hosted.
      expect(foreign.every((u) => u.startsWith('https://huggingface.co/'))).toBe(true);
    } finally {
      await close();
    }
  });
});
