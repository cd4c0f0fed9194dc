// Storage that is not there: IndexedDB refusing to open (storage blocked in the
// browser's settings, as private modes and sandboxed frames do). The library and the
// demo must work in memory and say so.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { collectConsoleErrors, launch } from './browser.ts';
import { addFiles, markdownFile, openDemo, search, waitForCount } from './demo-page.ts';
import { openLabPage, type LabPage } from './lab-page.ts';

const TINY = 'pagesense-test/bert-tiny';

/** Makes indexedDB.open throw as Chromium does where site storage is blocked. */
const blockIndexedDB = (page: Page) =>
  page.addInitScript(() => {
    IDBFactory.prototype.open = () => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };
  });

describe('IndexedDB refusing to open', () => {
  let lab: LabPage;
  beforeAll(async () => {
    lab = await openLabPage('e2e/pages/embed.html');
  });
  afterAll(() => lab?.close());

  it('createPagesense works in memory, says so in info and onProgress, and searches what it added', async () => {
    const page = lab.session.page;
    await blockIndexedDB(page);
    await page.reload();
    await page.waitForFunction(() => document.title === 'ready');
    const r = await page.evaluate(async (model) => {
      const createPagesense = (globalThis as any).createPagesense;
      const events: unknown[] = [];
      const index = await createPagesense({
        model,
        device: 'wasm',
        localModelPath: '/models/',
        wasmBase: '/ort/',
        onProgress: (p: any) => p.status === 'fallback' && events.push(p),
      });
      await index.add([
        { id: 'a', text: 'the lighthouse keeper trims the lamp' },
        { id: 'b', text: 'fog horns sound across the harbor' },
      ]);
      const hits = await index.search('lighthouse lamp', { k: 2, mode: 'lexical' });
      const out = { info: index.info, events, count: index.count(), top: hits[0]?.id };
      await index.close();
      return out;
    }, TINY);
    expect(r.info).toMatchObject({ mode: 'hybrid', storage: 'memory', storageReason: expect.stringContaining('IndexedDB could not be opened') });
    expect(r.events).toEqual([{ status: 'fallback', storage: 'memory', reason: r.info.storageReason }]);
    expect(r).toMatchObject({ count: 2, top: 'a' });
  });

  it('the demo indexes and searches in memory, and its storage line says the index lasts this visit only', async () => {
    const session = await launch();
    try {
      const errors = collectConsoleErrors(session.page);
      await blockIndexedDB(session.page);
      await openDemo(session.page, inject('baseUrl'), TINY);
      await addFiles(session.page, [markdownFile('harbor.md', 8)]);
      await waitForCount(session.page, 8);
      expect((await search(session.page, 'lantern meadow')).length).toBeGreaterThan(0);
      expect(await session.page.evaluate(() => (globalThis as any).pagesenseDemo.storage)).toBe('memory');
      expect(await session.page.textContent('#storage-status')).toMatch(/this visit only\. IndexedDB could not be opened/);
      expect(errors).toEqual([]);
    } finally {
      await session.close();
    }
  }, 120_000);
});
