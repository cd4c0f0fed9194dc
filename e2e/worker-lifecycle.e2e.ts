// The embedding worker's end: calls pending when its embedder is disposed settle at
// once with a typed error (comlink alone would leave them pending forever), and the
// disposed embedder refuses new calls instead of hanging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabPage, type LabPage } from './lab-page.ts';

const TINY = 'pagesense-test/bert-tiny';
let lab: LabPage;

beforeAll(async () => {
  lab = await openLabPage('e2e/pages/embed.html');
});
afterAll(() => lab?.close());

describe('a worker embedder that ends', () => {
  it('rejects the calls pending at dispose() with CLOSED within a second, and refuses the next call', async () => {
    const texts = Array.from({ length: 4000 }, (_, i) => `passage ${i} ${'about lamps and lenses and the keepers of the light '.repeat(8)}`);
    const r = await lab.session.page.evaluate(([model, t]) => (globalThis as any).embedCheck.disposeWhileBusy(model, 'wasm', t), [TINY, texts] as const);
    expect(r).toMatchObject({ settled: 'rejected', code: 'CLOSED', after: 'CLOSED' });
    expect(r.ms).toBeLessThan(1500);
    console.log(`worker: a call pending at dispose() rejected after ${Math.round(r.ms)} ms`);
  });
});
