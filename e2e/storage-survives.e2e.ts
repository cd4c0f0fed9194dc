// What IndexedDB storage must survive in real Chromium: a crash mid-indexing,
// a second tab, and a round trip through an exported file.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { launch } from './browser.ts';
import { addFiles, indexedCount, markdownFile, openDemo, search, waitForCount } from './demo-page.ts';

const baseUrl = inject('baseUrl');
const TINY = 'pagesense-test/bert-tiny';
const FULL = 'pagesense-test/bge-small-arch';
const sessions: Awaited<ReturnType<typeof launch>>[] = [];
const open = async (profileDir?: string) => {
  const s = await launch(profileDir ? { profileDir } : {});
  sessions.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

/** The texts of a search's results, joined. */
async function lexicalTexts(page: Page, query: string): Promise<string> {
  await search(page, query);
  return (await page.$$eval('#results .hit-text', (ps) => ps.map((p) => p.textContent ?? ''))).join('\n');
}

describe('storage', () => {
  it('a renderer crash mid-indexing keeps every committed batch, in the vectors and the lexical index alike, and indexing resumes', async () => {
    const { page, context } = await open();
    await openDemo(page, baseUrl, FULL);
    const file = markdownFile('many.md', 200);
    await addFiles(page, [file]);
    // A lexical search after the first batch builds the lexical index and saves it for that state.
    await page.waitForFunction(() => /saved \d+ of 200/.test(document.querySelector('#index-status')?.textContent ?? ''), undefined, { timeout: 180_000 });
    await page.selectOption('#search-mode', 'lexical');
    expect(await lexicalTexts(page, 'marker 13 where')).toContain('marker 13,');
    // Two commit batches (32 passages each) are on disk; then the tab's process dies.
    await page.waitForFunction(() => /saved (6[4-9]|[7-9]\d|1\d\d) of 200/.test(document.querySelector('#index-status')?.textContent ?? ''), undefined, {
      timeout: 180_000,
    });
    const cdp = await context.newCDPSession(page);
    const crashed = new Promise((resolve) => page.once('crash', resolve));
    void cdp.send('Page.crash').catch(() => undefined); // never answers: the renderer is gone
    await crashed;

    const again = await context.newPage();
    await openDemo(again, baseUrl, FULL);
    const kept = await indexedCount(again);
    expect(kept).toBeGreaterThanOrEqual(64);
    expect(kept).toBeLessThan(200);
    expect(kept % 32).toBe(0); // whole batches only: nothing half-written
    expect((await search(again, 'marker 5 where'))[0]?.id).toMatch(/^many\.md#/);
    // The lexical side holds exactly the committed batches: the index saved after the first batch is stale, not used.
    await again.selectOption('#search-mode', 'lexical');
    expect(await lexicalTexts(again, `marker ${kept - 2} where`)).toContain(`marker ${kept - 2},`);
    expect(await lexicalTexts(again, `marker ${kept + 5} where`)).not.toContain(`marker ${kept + 5},`);
    await again.selectOption('#search-mode', 'hybrid');

    await addFiles(again, [file]);
    await waitForCount(again, 200, 200_000);
    expect(await again.textContent('#index-status')).toContain(`${kept} already indexed`);
    expect(await again.evaluate(() => (globalThis as any).pagesenseDemo.passagesEmbedded)).toBe(200 - kept);
  });

  it('Stop ends indexing after the batch in flight and keeps what was saved', async () => {
    const { page } = await open();
    await openDemo(page, baseUrl, FULL);
    await addFiles(page, [markdownFile('stop.md', 200)]);
    await page.waitForFunction(() => /saved \d+ of 200/.test(document.querySelector('#index-status')?.textContent ?? ''), undefined, { timeout: 120_000 });
    await page.click('#stop');
    await page.waitForFunction(() => /stopped/.test(document.querySelector('#index-status')?.textContent ?? ''), undefined, { timeout: 60_000 });
    const kept = await indexedCount(page);
    expect(kept).toBeGreaterThanOrEqual(32);
    expect(kept).toBeLessThan(200);
    expect(kept % 32).toBe(0);
    expect(await page.isHidden('#stop')).toBe(true);
    expect(await page.isHidden('#error')).toBe(true);
  });

  it('a query typed before indexing starts is searched again as batches land, and once more when it ends', async () => {
    const { page } = await open();
    await openDemo(page, baseUrl, FULL);
    await page.fill('#query', 'marker 150 where harbor stories are told');
    await page.waitForFunction(() => (globalThis as any).pagesenseDemo.searchesRendered > 0, undefined, { timeout: 30_000 });
    expect(await page.textContent('#search-status')).toMatch(/^Nothing is indexed yet/);
    await addFiles(page, [markdownFile('live.md', 200)]);
    // Results show while indexing still runs, without typing again.
    await page.waitForFunction(
      () => document.querySelectorAll('#results li').length > 0 && /of 200 passages/.test(document.querySelector('#index-status')?.textContent ?? ''),
      undefined,
      { timeout: 180_000 },
    );
    await waitForCount(page, 200, 240_000);
    // The last rendered search ran over the whole index, not a stale part of it.
    await page.waitForFunction(() => (globalThis as any).pagesenseDemo.searchedCount === 200, undefined, { timeout: 30_000 });
    expect(await page.textContent('#search-status')).toMatch(/^10 results/);
  });

  it('a second tab sees what the first one indexed, without reloading', async () => {
    const { page, context } = await open();
    await openDemo(page, baseUrl, TINY);
    const other = await context.newPage();
    await openDemo(other, baseUrl, TINY);
    expect(await indexedCount(other)).toBe(0);
    await page.click('#load-sample');
    await waitForCount(page, 24);
    await waitForCount(other, 24, 10_000);
    expect((await search(other, 'Clean the bicycle chain with a degreaser, let it dry, and apply one drop of lubricant to each roller.'))[0]?.id).toBe(
      'sample-06',
    );
  });

  it('exports the index to a file and imports it into a fresh browser profile', async () => {
    const first = await open();
    await openDemo(first.page, baseUrl, TINY);
    await first.page.click('#load-sample');
    await waitForCount(first.page, 24);
    const [download] = await Promise.all([first.page.waitForEvent('download'), first.page.click('#export')]);
    const file = readFileSync((await download.path())!);
    expect(file.subarray(0, 7).toString()).toBe('PGSENSE');

    const second = await open();
    await openDemo(second.page, baseUrl, TINY);
    // A damaged file is refused and changes nothing.
    await second.page.setInputFiles('#import-input', [
      { name: 'bad.pagesense', mimeType: 'application/octet-stream', buffer: file.subarray(0, file.length - 100) },
    ]);
    await second.page.waitForSelector('#error:not([hidden])');
    expect(await second.page.textContent('#error')).toContain('CORRUPT_INDEX');
    expect(await indexedCount(second.page)).toBe(0);

    await second.page.setInputFiles('#import-input', [{ name: 'good.pagesense', mimeType: 'application/octet-stream', buffer: file }]);
    await waitForCount(second.page, 24);
    expect(await second.page.evaluate(() => (globalThis as any).pagesenseDemo.passagesEmbedded)).toBe(0);
    expect((await search(second.page, 'Clean the bicycle chain with a degreaser, let it dry, and apply one drop of lubricant to each roller.'))[0]?.id).toBe(
      'sample-06',
    );

    // A file from another model is refused.
    const third = await open();
    await openDemo(third.page, baseUrl, FULL);
    await third.page.setInputFiles('#import-input', [{ name: 'tiny.pagesense', mimeType: 'application/octet-stream', buffer: file }]);
    await third.page.waitForSelector('#error:not([hidden])');
    expect(await third.page.textContent('#error')).toContain('MODEL_MISMATCH');
  });
});
