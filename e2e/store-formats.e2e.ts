// The block store's on-disk formats in real Chromium IndexedDB: full blocks as
// Blobs streamed into the scan index, int8 collections that open from their codes
// and still rank exactly (float rows re-read by Blob slices), across page loads.
import { describe, expect, it } from 'vitest';
import { openLabPage, useFreshPage } from './lab-page.ts';

const N = 5000; // two full blocks of 2048 and an open one
const fresh = useFreshPage('e2e/pages/store.html', 'storeCheck');
const call = <T>(fn: string, ...args: unknown[]) => fresh.call<T>(fn, ...args);

type Found = { count: number; quantization: string; hits: { id: string; score: number }[][] };
const queries = Array.from({ length: 16 }, (_, i) => i);

describe('store formats in Chromium', () => {
  it('float32 and int8 collections: Blob blocks, codes for full blocks, same rankings after reload', async () => {
    await call('fill', 'f32', 'none', N);
    await call('fill', 'q8', 'int8', N);
    expect(await call('rawBlocks', 'f32')).toEqual([
      { block: 0, vectors: 'Blob', codes: null },
      { block: 1, vectors: 'Blob', codes: null },
      { block: 2, vectors: 'ArrayBuffer', codes: null },
    ]);
    expect(await call('rawBlocks', 'q8')).toEqual([
      { block: 0, vectors: 'Blob', codes: 'Blob' },
      { block: 1, vectors: 'Blob', codes: 'Blob' },
      { block: 2, vectors: 'ArrayBuffer', codes: null },
    ]);
    const exact = await call<Found>('search', 'f32', N, queries);
    const int8 = await call<Found>('search', 'q8', N, queries);
    expect(exact).toMatchObject({ count: N, quantization: 'none' });
    expect(int8).toMatchObject({ count: N, quantization: 'int8' });
    let same = 0;
    exact.hits.forEach((hits, q) => {
      expect(hits.length).toBe(10);
      // Re-ranked from the float rows: where the ids agree, the scores are the exact ones.
      int8.hits[q]!.forEach((h, i) => {
        if (h.id === hits[i]!.id) {
          same++;
          expect(h.score).toBeCloseTo(hits[i]!.score, 5);
        }
      });
    });
    expect(same / (queries.length * 10)).toBeGreaterThanOrEqual(0.95);
    expect(await call('rowsMatch', 'q8', N, [0, 2047, 2048, 4095, 4999, 77])).toBe(true);
  }, 180_000);

  it('deleted rows leave both the float and the code blocks, compaction drops them for good; a damaged code block is CORRUPT_INDEX but export still works', async () => {
    const before = await call<Found>('search', 'q8', N, [0]);
    const gone = before.hits[0]!.slice(0, 3).map((h) => h.id);
    await call('remove', 'q8', gone);
    const after = await call<Found>('search', 'q8', N, [0]);
    expect(after.count).toBe(N - 3);
    expect(after.hits[0]!.map((h) => h.id)).toEqual(expect.not.arrayContaining(gone));
    expect(after.hits[0]![0]!.id).toBe(before.hits[0]![3]!.id);

    expect(await call('compact', 'q8')).toBe(N - 3);
    expect(await call('compact', 'q8')).toBeNull(); // nothing dead any more
    expect(await call('rawBlocks', 'q8')).toEqual([
      { block: 0, vectors: 'Blob', codes: 'Blob' },
      { block: 1, vectors: 'Blob', codes: 'Blob' },
      { block: 2, vectors: 'ArrayBuffer', codes: null },
    ]);
    expect(await call<Found>('search', 'q8', N, [0])).toEqual(after);

    await call('damageCodes', 'q8');
    expect(await call('openError', 'q8', N)).toBe('CORRUPT_INDEX');
    expect(await call<number>('exportedRows', 'q8')).toBeGreaterThan((N - 3) * 64 * 4);
  }, 120_000);

  it('an upgrade in another tab is not blocked: this tab closes its connection and is told', async () => {
    await call('fill', 'tabs', 'none', 10);
    await call('holdOpen', 'tabs'); // tab 1 keeps its connection open
    const tab1 = fresh.lab.session.page;
    expect(await tab1.evaluate(() => (globalThis as any).storeCheck.heldList())).toEqual(['c']);
    const other = await fresh.lab.session.context.newPage();
    await other.goto(`${fresh.lab.url}e2e/pages/store.html`);
    await other.waitForFunction(() => document.title === 'ready');
    const outcome = await other.evaluate(() => (globalThis as any).storeCheck.upgrade('tabs'));
    expect(outcome).toBe('upgraded');
    expect(await tab1.evaluate(() => (globalThis as any).versionChanges)).toBe(1);
    expect(await tab1.evaluate(() => (globalThis as any).storeCheck.heldList())).toBe('CLOSED');
    await other.close();
  }, 60_000);

  it('a real QuotaExceededError (quota lowered through DevTools) stops with QUOTA_EXCEEDED and keeps every committed batch', async () => {
    // A profile of its own: in the profile the other tests share, the lowered quota was not enforced (cause not found).
    const own = await openLabPage('e2e/pages/store.html');
    try {
      const page = own.session.page;
      const cdp = await own.session.context.newCDPSession(page);
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(own.url).origin, quotaSize: 4 * 1024 * 1024 });
      const r = await page.evaluate(() => (globalThis as any).storeCheck.fillUntilFull('quota', 500, 50_000));
      expect(r.error).toBe('QUOTA_EXCEEDED');
      expect(r.committed).toBeGreaterThan(0);
      expect(r.committed % 500).toBe(0);
      // What reopening finds is exactly the committed batches.
      expect(r).toMatchObject({ documentCount: r.committed, loaded: r.committed, lastId: `r${r.committed - 1}` });
    } finally {
      await own.close();
    }
  }, 120_000);
});
