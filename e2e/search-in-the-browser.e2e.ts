// The walking skeleton, end to end in real Chromium: load the sample corpus,
// search, reload, and search again from IndexedDB without re-embedding.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ARTIFACTS, collectConsoleErrors, launch, watchForeignRequests } from './browser.ts';
import { addFiles, search as searchDemo } from './demo-page.ts';

const baseUrl = inject('baseUrl');
const origin = new URL(baseUrl).origin;
const MODEL = 'pagesense-test/bge-small-arch';

describe('a user indexes the sample corpus and searches it', () => {
  let session: Awaited<ReturnType<typeof launch>>;
  let foreign: string[];
  let consoleErrors: string[];

  beforeAll(async () => {
    session = await launch();
    foreign = watchForeignRequests(session.page, origin);
    consoleErrors = collectConsoleErrors(session.page);
  });
  afterAll(async () => {
    await session?.close();
  });

  const ready = async () => {
    const { page } = session;
    await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 }).catch(async (err) => {
      throw new Error(`page not ready: ${await page.locator('#error').textContent()} ${consoleErrors.join('\n')} ${err}`);
    });
  };

  const search = (query: string) => searchDemo(session.page, query);

  it('loads the generated model in a worker, says it is generated, and runs cross-origin isolated', async () => {
    const { page } = session;
    await page.goto(`${baseUrl}?model=${encodeURIComponent(MODEL)}&device=wasm`);
    await ready();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.isVisible('#generated-warning')).toBe(true);
    const status = await page.textContent('#model-status');
    expect(status).toContain(MODEL);
    expect(status).toContain('wasm');
    // The model runs in a worker: the page's own module graph never loads onnxruntime.
    const workers = page.workers().map((w) => w.url());
    expect(workers.some((u) => u.includes('embed.worker'))).toBe(true);
    expect(await page.evaluate(() => typeof (globalThis as { ort?: unknown }).ort)).toBe('undefined');
  });

  it('embeds the sample corpus with progress and ranks the passage whose wording the query repeats first', async () => {
    const { page } = session;
    await page.click('#load-sample');
    await page.waitForFunction(() => /^24 passages indexed/.test(document.querySelector('#index-status')?.textContent ?? ''), undefined, { timeout: 120_000 });
    expect(await page.evaluate(() => (globalThis as any).pagesenseDemo.passagesEmbedded)).toBe(24);

    const hits = await search('ranks passages by cosine similarity to the vector of the query');
    expect(hits.length).toBe(10);
    expect(hits[0]!.id).toBe('sample-18');
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    // Warm model: a query (embedding + scan + document fetch) answers well under a second.
    const ms = await page.evaluate(() => (globalThis as any).pagesenseDemo.lastSearchMs as number);
    expect(ms).toBeLessThan(1000);
    await page.screenshot({ path: join(ARTIFACTS, 'search-results.png'), fullPage: true });
  });

  it('after a reload, the index comes from IndexedDB and search works without re-embedding', async () => {
    const { page } = session;
    await page.reload();
    await ready();
    expect(await page.textContent('#index-status')).toMatch(/^24 passages indexed/);
    const hits = await search('Clean the bicycle chain with a degreaser');
    expect(hits[0]!.id).toBe('sample-06');
    expect(await page.evaluate(() => (globalThis as any).pagesenseDemo.passagesEmbedded)).toBe(0);
  });

  it('shows pasted markup as text and never runs it', async () => {
    const { page } = session;
    await page.click('#docs-panel summary');
    const evil = 'Unique zebra marker <img src=x onerror="globalThis.__xss=1"> <script>globalThis.__xss=2</script> and more words.';
    await page.fill('#paste', evil);
    await page.click('#add-paste');
    // The preview shows the markup as text before anything is indexed.
    expect(await page.textContent('#preview-list')).toContain('<img src=x');
    expect(await page.locator('#preview-list img').count()).toBe(0);
    await page.click('#index-preview');
    await page.waitForFunction(() => /^25 passages indexed/.test(document.querySelector('#index-status')?.textContent ?? ''), undefined, { timeout: 60_000 });
    await search('Unique zebra marker img src onerror script');
    const first = page.locator('#results li').first();
    expect(await first.locator('.hit-text').textContent()).toContain('<img src=x');
    expect(await first.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as any).__xss)).toBeUndefined();
  });

  it('indexes uploaded Markdown files as heading-scoped passages', async () => {
    const { page } = session;
    const md =
      '# Guide\n\nIntro paragraph about nothing much.\n\n## Quartz clocks\n\nA quartz crystal oscillates at 32768 hertz when a voltage is applied, and the clock counts those oscillations.';
    await addFiles(page, [{ name: 'clocks.md', mimeType: 'text/markdown', buffer: Buffer.from(md) }]);
    await page.waitForFunction(() => /^27 passages indexed/.test(document.querySelector('#index-status')?.textContent ?? ''), undefined, { timeout: 60_000 });
    const hits = await search('quartz crystal oscillates when a voltage is applied');
    expect(hits[0]!.id).toBe('clocks.md#1');
    expect(await page.locator('#results li .hit-title').first().textContent()).toBe('clocks.md › Quartz clocks');
  });

  it('sent nothing off the page origin and logged no errors', () => {
    expect(foreign).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
