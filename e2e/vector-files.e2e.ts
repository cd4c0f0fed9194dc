// Vector files in real Chromium: a float32 collection's full blocks copied to the
// Origin Private File System (as they seal, or by an open that found them missing)
// and read from there by a worker into the scan index's shared memory. IndexedDB
// stays the record: a damaged, missing or stray file never changes what a search returns.
import { describe, expect, it } from 'vitest';
import { waitForWorker } from './browser.ts';
import { freshPageCaller, openLabPage, useFreshPage } from './lab-page.ts';

const N = 5000; // two full blocks of 2048 rows (mirrored) and an open one (never mirrored)
const DIM = 64;
const FILE_BYTES = 2 * 2048 * DIM * 4;
const fresh = useFreshPage('e2e/pages/store.html', 'storeCheck');
const call = <T>(fn: string, ...args: unknown[]) => fresh.call<T>(fn, ...args);

type Found = { count: number; hits: { id: string; score: number }[][] };
const queries = [0, 3, 7, 11];

describe('vector files in Chromium', () => {
  it('blocks sealed while writing are copied to the file; opens read them from there and rank the same', async () => {
    expect(await fresh.lab.session.page.evaluate(() => crossOriginIsolated)).toBe(true);
    await call('fill', 'vf', 'none', N);
    expect(await call('fileBlocks', 'vf')).toBe(2);
    expect((await call<{ size: number }[]>('files', 'vf')).map((f) => f.size)).toEqual([FILE_BYTES]);
    // The same rows in a store written without vector files: its first open reads IndexedDB, then copies the blocks.
    await call('fill', 'vf0', 'none', N, false);
    expect(await call('files', 'vf0')).toEqual([]);
    const fromBlocks = await call<Found>('search', 'vf0', N, queries, true, true);
    expect(await call('fileBlocks', 'vf0')).toBe(2);
    expect((await call<{ size: number }[]>('files', 'vf0')).map((f) => f.size)).toEqual([FILE_BYTES]);

    const fromFile = await call<Found>('search', 'vf', N, queries);
    expect(fromFile).toEqual(fromBlocks);
    expect(fromFile.count).toBe(N);
    expect(await call<Found>('search', 'vf0', N, queries)).toEqual(fromBlocks);

    // Proof that the rows come from the file: row 100 rewritten there as query 3 itself becomes its perfect match.
    await call('pokeFile', 'vf', 100, await call('queryRow', N, 3));
    const poked = await call<Found>('search', 'vf', N, [3]);
    expect(poked.hits[0]![0]).toMatchObject({ id: 'r100' });
    expect(poked.hits[0]![0]!.score).toBeCloseTo(1, 5);
    // Without vector files the same store answers from IndexedDB, untouched.
    expect(await call<Found>('search', 'vf', N, queries, false)).toEqual(fromBlocks);
  }, 120_000);

  it('a vector-file worker that ends by itself costs nothing: the open falls back to IndexedDB or a new worker, and ranks the same', async () => {
    await call('fill', 'vfd', 'none', N);
    const truth = await call<Found>('search', 'vfd', N, queries, false);
    await call('openStore', 'vfd'); // the store finds its files and starts the reader
    const page = fresh.lab.session.page;
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await (await waitForWorker(page, 'vector-file.worker')).evaluate(() => (self as any).close());
    const t0 = Date.now();
    const after = await page.evaluate(([n, q]) => (globalThis as any).storeCheck.searchOpenStore(n, q), [N, queries] as const);
    expect(after).toEqual(truth);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(errors).toEqual([]);
    expect(await call('fileBlocks', 'vfd')).toBe(2); // nothing stored was lost
  }, 120_000);

  it('a database deleted between visits (eviction) is noticed once and reported; its vector files are swept, never read back', async () => {
    await call('fill', 'evicted', 'none', N);
    expect((await call<unknown[]>('files', 'evicted')).length).toBe(1);
    const r = await call<{ dataLost?: string; collections: number; files: unknown[]; second?: string }>('openAfterEviction', 'evicted');
    expect(r.dataLost).toMatch(/1 collection\(s\) stored in "evicted" on an earlier visit are gone/);
    expect(r.collections).toBe(0);
    expect(r.files).toEqual([]); // the mirror did not resurrect the collection; its file is gone too
    expect(r.second).toBeUndefined();
  }, 120_000);

  it('by default a collection under 16k rows opens from IndexedDB, and leaves its file as it is', async () => {
    const truth = await call<Found>('search', 'vf', N, queries, false);
    await call('pokeFile', 'vf', 100, await call('queryRow', N, 3));
    expect(await call<Found>('search', 'vf', N, queries, 'default', true)).toEqual(truth);
    expect((await call<Found>('search', 'vf', N, [3])).hits[0]![0]!.id).toBe('r100'); // not rewritten: still the poked file
  }, 120_000);

  it('a block the file lost (zero-filled, as a race between tabs could leave it) is caught by its probe and read from IndexedDB', async () => {
    const truth = await call<Found>('search', 'vf0', N, queries, false);
    await call('pokeFile', 'vf0', 2048, { zeroRows: 2048 });
    expect(await call<Found>('search', 'vf0', N, queries, true, true)).toEqual(truth);
    // That open wrote the file again: a poke proves the next open reads it, and reads it right.
    await call('pokeFile', 'vf0', 100, await call('queryRow', N, 3));
    expect((await call<Found>('search', 'vf0', N, [3])).hits[0]![0]!.id).toBe('r100');
  }, 120_000);

  it('a file holding NaN is skipped and written again; a missing file means reading the blocks', async () => {
    const truth = await call<Found>('search', 'vf', N, queries, false);
    await call('pokeFile', 'vf', 2100, 'nan');
    expect(await call<Found>('search', 'vf', N, queries, true, true)).toEqual(truth);
    // That open rewrote the file from the blocks: it now answers from the file again, rightly.
    await call('pokeFile', 'vf', 100, await call('queryRow', N, 3)); // (proves the next open still reads the file)
    expect((await call<Found>('search', 'vf', N, [3])).hits[0]![0]!.id).toBe('r100');
    await call('removeFiles', 'vf');
    expect(await call('files', 'vf')).toEqual([]);
    expect(await call<Found>('search', 'vf', N, queries, true, true)).toEqual(truth);
    expect((await call<{ size: number }[]>('files', 'vf')).map((f) => f.size)).toEqual([FILE_BYTES]);
    expect(await call<Found>('search', 'vf', N, queries)).toEqual(truth);
  }, 120_000);

  it('rows deleted after the mirror are packed out of the file read; clear removes the file; a stray file is swept', async () => {
    const before = await call<Found>('search', 'vf', N, [0, 3]);
    // Rows at both ends of both mirrored blocks, and the best hits wherever they are.
    const gone = [...new Set(['r0', 'r2047', 'r2048', 'r4095', ...[...before.hits[0]!.slice(0, 2), ...before.hits[1]!.slice(0, 1)].map((h) => h.id)])];
    await call('remove', 'vf', gone);
    const truth = await call<Found>('search', 'vf', N, [0, 3], false);
    expect(truth.count).toBe(N - gone.length);
    expect(truth.hits.flat().map((h) => h.id)).toEqual(expect.not.arrayContaining(gone));
    expect(await call('fileBlocks', 'vf')).toBe(2); // deletes leave the file as it is
    expect(await call<Found>('search', 'vf', N, [0, 3])).toEqual(truth);

    await call('clearCollection', 'vf');
    expect(await call('filesAfterOpen', 'vf', 0)).toEqual([]);
    await call('strayFile', 'vf');
    expect(await call('files', 'vf')).toHaveLength(1);
    expect(await call('filesAfterOpen', 'vf', 0)).toEqual([]);
  }, 120_000);

  it('a copy the quota refuses leaves no file behind, and the collection opens from IndexedDB as before', async () => {
    const own = await openLabPage('e2e/pages/store.html'); // a profile of its own: the quota override holds there (see store-formats)
    try {
      const page = own.session.page;
      const check = <T>(fn: string, ...a: unknown[]) =>
        page.evaluate(([f, args]) => (globalThis as any).storeCheck[f as string](...(args as unknown[])), [fn, a] as const) as Promise<T>;
      await check('fill', 'vq', 'none', N, false); // no copy while writing: the open below makes the first
      const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage!);
      const cdp = await own.session.context.newCDPSession(page);
      // The file needs FILE_BYTES; leave half of that. (Chromium still reports the old quota
      // to navigator.storage.estimate(), so the copy is tried, refused, and must be given back.)
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(own.url).origin, quotaSize: usage + FILE_BYTES / 2 });
      const truth = await check<Found>('search', 'vq', N, queries, false);
      expect(await check<Found>('search', 'vq', N, queries, true, true)).toEqual(truth);
      expect(await check('fileBlocks', 'vq')).toBe(0);
      expect(await check('files', 'vq')).toEqual([]);
      // Room again: the next open copies the blocks.
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(own.url).origin, quotaSize: usage + FILE_BYTES * 20 });
      expect(await check<Found>('search', 'vq', N, queries, true, true)).toEqual(truth);
      expect(await check('fileBlocks', 'vq')).toBe(2);
    } finally {
      await own.close();
    }
  }, 120_000);

  it('a page that is not cross-origin isolated (no shared memory) reads the file in handed-over chunks, just as right', async () => {
    const NP = 9 * 2048 + 100; // two chunks of the file: blocks 0-7, then 8
    const plain = freshPageCaller(fresh.lab, 'e2e/pages/store.html?isolation=off', 'storeCheck');
    expect(await plain('isolated')).toBe(false);
    await plain('fill', 'vp', 'none', NP);
    expect(await plain('fileBlocks', 'vp')).toBe(9);
    const truth = await plain<Found>('search', 'vp', NP, queries, false);
    expect(await plain<Found>('search', 'vp', NP, queries)).toEqual(truth);
    await plain('pokeFile', 'vp', 100, await plain('queryRow', NP, 3));
    const poked = await plain<Found>('search', 'vp', NP, queries);
    expect(poked.hits[1]![0]!.id).toBe('r100'); // query 3 finds the row written into the file
    // Block 8 lost (zero-filled): blocks 0-7 still come from the file, block 8 from IndexedDB, and the file gets it back.
    await plain('pokeFile', 'vp', 8 * 2048, { zeroRows: 2048 });
    expect(await plain<Found>('search', 'vp', NP, queries, true, true)).toEqual(poked);
    expect(await plain('fileBlocks', 'vp')).toBe(9);
    expect(await plain<Found>('search', 'vp', NP, queries)).toEqual(poked);
    await plain('pokeFile', 'vp', 8 * 2048 + 52, 'nan'); // not where a probe looks: caught when the rows go into the index
    expect(await plain<Found>('search', 'vp', NP, queries, true, true)).toEqual(truth); // all from IndexedDB
    expect(await plain('fileBlocks', 'vp')).toBe(9);
    expect(await plain<Found>('search', 'vp', NP, queries)).toEqual(truth); // the file was written again, whole
  }, 120_000);

  it('a second tab opening while the first writes and copies blocks always gets every committed row right', async () => {
    const total = 8 * 2048;
    const writer = fresh.lab.session.page;
    await writer.goto(`${fresh.lab.url}e2e/pages/store.html`);
    await writer.waitForFunction(() => document.title === 'ready');
    await writer.evaluate((n) => (globalThis as any).storeCheck.startFilling('vt', n, 1024, 150), total);
    await writer.waitForFunction(() => (globalThis as any).filling.committed >= 3 * 2048, undefined, { timeout: 60_000 });
    const reader = await fresh.lab.session.context.newPage();
    try {
      const rows = [0, 1, 2047, 2048, 4095, 5000, 6143];
      let opens = 0;
      let sawWriting = false;
      do {
        sawWriting ||= !(await writer.evaluate(() => (globalThis as any).filling.done));
        await reader.goto(`${fresh.lab.url}e2e/pages/store.html`);
        await reader.waitForFunction(() => document.title === 'ready');
        const r = await reader.evaluate(([n, at]) => (globalThis as any).storeCheck.searchRows('vt', n, at), [total, rows] as const);
        expect(r.count % 1024).toBe(0); // whole batches only
        expect(r.top.map((t: { id: string }) => t.id)).toEqual(rows.map((i) => `r${i}`));
        for (const t of r.top) expect(t.score).toBeCloseTo(1, 5);
        opens++;
      } while (!(await writer.evaluate(() => (globalThis as any).filling.done)) && opens < 30);
      expect(opens).toBeGreaterThanOrEqual(2); // opened again and again while rows were being written
      expect(sawWriting).toBe(true);
      expect(await writer.evaluate(() => (globalThis as any).filling)).toMatchObject({ done: true, committed: total });
      const last = await reader.evaluate(([n, at]) => (globalThis as any).storeCheck.searchRows('vt', n, at), [total, [...rows, total - 1]] as const);
      expect(last.count).toBe(total);
      expect(last.top.at(-1).id).toBe(`r${total - 1}`);
    } finally {
      await reader.close();
    }
  }, 180_000);

  it('a renderer crash while blocks are being copied: the reopened collection is whole and its file claims only flushed blocks', async () => {
    const total = 10 * 2048;
    const writer = await fresh.lab.session.context.newPage();
    await writer.goto(`${fresh.lab.url}e2e/pages/store.html`);
    await writer.waitForFunction(() => document.title === 'ready');
    await writer.evaluate((n) => (globalThis as any).storeCheck.startFilling('vc', n, 2048), total);
    await writer.waitForFunction(() => (globalThis as any).filling.committed >= 4 * 2048, undefined, { timeout: 60_000 });
    const cdp = await fresh.lab.session.context.newCDPSession(writer);
    const crashed = new Promise((resolve) => writer.once('crash', resolve));
    void cdp.send('Page.crash').catch(() => undefined); // never answers: the renderer is gone
    await crashed;
    await writer.close().catch(() => undefined);

    const rows = [0, 2047, 2048, 6000, 8191];
    const claimed = await call<number>('fileBlocks', 'vc');
    const truth = await call<{ count: number; top: { id: string }[] }>('searchRows', 'vc', total, rows, false);
    expect(truth.count).toBeGreaterThanOrEqual(4 * 2048);
    expect(truth.count % 2048).toBe(0);
    expect(claimed).toBeLessThanOrEqual(truth.count / 2048);
    expect(await call('searchRows', 'vc', total, rows)).toEqual(truth);
    expect(truth.top.map((t) => t.id)).toEqual(rows.map((i) => `r${i}`));
  }, 180_000);
});
