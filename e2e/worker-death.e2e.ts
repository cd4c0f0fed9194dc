// Workers that die: closed or crashed with calls pending, stalled or throwing before
// they expose their API, out of memory. Every pending call must reject with a typed
// error within a bound (comlink alone would leave it pending forever), and the next
// call must start a fresh worker that answers as the first did. And a burst of
// searches while the same worker indexes: every call answers, the queue stays bounded.
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForWorker } from './browser.ts';
import { openLabPage, type LabPage } from './lab-page.ts';

const TINY = 'pagesense-test/bert-tiny';
/** A pending call must settle this soon after its worker ends. */
const REJECT_BOUND_MS = 1000;
const WORKER_SCRIPT = '**/workers/embed.worker.ts*';

let lab: LabPage;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  lab = await openLabPage('e2e/pages/embed.html');
  page = lab.session.page;
  page.on('pageerror', (e) => pageErrors.push(String(e)));
});
afterAll(() => lab?.close());

const call = <T>(fn: string, ...args: unknown[]) =>
  page.evaluate(([f, a]) => (globalThis as any).deathCheck[f](...(a as unknown[])), [fn, args] as const) as Promise<T>;

const embedWorker = () => waitForWorker(page, 'embed.worker');

interface Outcome {
  settled: string;
  code?: string;
  reason?: string;
  message?: string;
  ms: number;
}
interface Settled {
  outcomes: Outcome[];
  next: { ok: boolean; maxDiff?: number; code?: string };
}

const busyTexts = Array.from({ length: 3000 }, (_, i) => `passage ${i} ${'about lamps and lenses and the keepers of the light '.repeat(8)}`);

describe('an embedding worker that dies', () => {
  it('closed by itself with calls pending: each rejects with WORKER_FAILED within the bound, and the next call starts a fresh worker', async () => {
    await call('startBusy', TINY, busyTexts, 3);
    const worker = await embedWorker();
    // self.close() ends the worker without any event on the page: only the lifeline tells.
    const t0 = await page.evaluate(() => performance.now());
    await worker.evaluate(() => (self as any).close());
    const r = await call<Settled>('settle', t0);
    expect(r.outcomes).toHaveLength(3);
    for (const o of r.outcomes) {
      expect(o).toMatchObject({ settled: 'rejected', code: 'WORKER_FAILED', reason: 'ended' });
      expect(o.ms).toBeLessThan(REJECT_BOUND_MS);
    }
    expect(r.next.ok).toBe(true);
    expect(r.next.maxDiff).toBeLessThan(1e-6);
    const slowest = Math.max(...r.outcomes.map((o) => o.ms));
    console.log(`worker closed with 3 calls pending: all rejected within ${Math.round(slowest)} ms; the next call ran in a new worker`);
    await call('again');
  });

  it('a restart that fails rejects that call (MODEL_UNAVAILABLE), and the call after it starts a worker that works', async () => {
    await call('startBusy', TINY, busyTexts.slice(0, 500), 1);
    const worker = await embedWorker();
    await page.route(WORKER_SCRIPT, (route) => route.fulfill({ contentType: 'text/javascript', body: 'throw new Error("broken deploy")' }));
    const t0 = await page.evaluate(() => performance.now());
    await worker.evaluate(() => (self as any).close());
    const r = await call<Settled>('settle', t0);
    expect(r.outcomes[0]).toMatchObject({ settled: 'rejected', code: 'WORKER_FAILED' });
    expect(r.next).toMatchObject({ ok: false, code: 'MODEL_UNAVAILABLE' });
    await page.unroute(WORKER_SCRIPT);
    expect(await call('again')).toMatchObject({ settled: 'resolved' });
  });

  it('a worker script that throws before it exposes its API: the load rejects at once with MODEL_UNAVAILABLE', async () => {
    await page.route(WORKER_SCRIPT, (route) => route.fulfill({ contentType: 'text/javascript', body: 'throw new Error("broken deploy")' }));
    const r = await call<Outcome>('create', TINY);
    await page.unroute(WORKER_SCRIPT);
    expect(r).toMatchObject({ settled: 'rejected', code: 'MODEL_UNAVAILABLE', reason: 'error' });
    expect(r.ms).toBeLessThan(5000);
    console.log(`worker that throws at start: load rejected after ${Math.round(r.ms)} ms`);
  });

  it('a worker script that stalls: the load rejects with MODEL_UNAVAILABLE once workerStartTimeout passes', async () => {
    // The script's download never answers (a train in a tunnel): fetched forever, never started.
    const hung: Route[] = [];
    await page.route(WORKER_SCRIPT, (route) => void hung.push(route));
    const r = await call<Outcome>('create', TINY, { workerStartTimeout: 1500 });
    await page.unroute(WORKER_SCRIPT);
    // Let the hung download end, or the browser's cache lock holds the next request for the same URL behind it.
    await Promise.all(hung.map((route) => route.abort().catch(() => undefined)));
    expect(r).toMatchObject({ settled: 'rejected', code: 'MODEL_UNAVAILABLE', reason: 'start-timeout' });
    expect(r.ms).toBeGreaterThanOrEqual(1500);
    expect(r.ms).toBeLessThan(1500 + REJECT_BOUND_MS);
    const after = await call<Outcome>('create', TINY);
    expect(after.settled).toBe('resolved');
  });

  it('a batch far too large for WASM memory: OUT_OF_MEMORY, the worker is replaced, and the next query answers as before', async () => {
    // bert-tiny has 4 heads: 1,400 texts of 512 tokens need 1,400 x 4 x 512 x 512 x 4 bytes (5.9 GB) of attention scores alone, over wasm32's 4 GiB.
    const texts = Array.from({ length: 700 }, (_, i) => `text ${i} ${'lighthouse '.repeat(600)}`);
    const r = await call<{ big: Outcome; next: Settled['next'] }>('oversized', TINY, texts);
    expect(r.big).toMatchObject({ settled: 'rejected', code: 'OUT_OF_MEMORY' });
    expect(r.next.ok).toBe(true);
    expect(r.next.maxDiff).toBeLessThan(1e-6);
    console.log(`oversized batch: ${r.big.code} (${r.big.message?.slice(0, 160)}); the next query ran in a new worker`);
  }, 120_000);

  it('left no uncaught error on the page', () => {
    expect(pageErrors).toEqual([]);
  });
});

describe('a burst of searches while indexing', () => {
  it('1,000 search() calls in one tick while the same worker indexes: all resolve as the same search alone, with one query batch in flight', async () => {
    await page.reload();
    await page.waitForFunction(() => document.title === 'ready');
    const r = await page.evaluate(([model]) => (globalThis as any).burstCheck(model, 1000, 3000), [TINY] as const);
    expect(r.overlapped).toBe(true); // the burst ran while the other collection was still being indexed
    expect(r).toMatchObject({ resolved: 1000, rejected: [], distinct: 250, indexedCount: 3000, maxInFlight: 1 });
    expect(r.queryCalls).toBe(Math.ceil(250 / 32));
    // A query embedded in a batch beside others equals the same query alone to float rounding.
    expect(r.maxScoreDiff).toBeLessThan(1e-5);
    expect(r.orderDiffs).toBe(0);
    console.log(
      `burst: 1,000 searches (250 distinct) during indexing → ${r.queryCalls} query embeddings, at most ${r.maxInFlight} in flight, ${Math.round(r.burstMs)} ms; max score difference vs alone ${r.maxScoreDiff.toExponential(1)}`,
    );
  });
});
