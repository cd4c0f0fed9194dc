// The scan kernels in real Chromium, inside a Worker: WASM SIMD is picked, and it
// agrees with the TypeScript fallback and with a naive scan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabPage, type LabPage } from './lab-page.ts';

describe('the search kernel runs in a Chromium worker', () => {
  let lab: LabPage;

  beforeAll(async () => {
    lab = await openLabPage('e2e/pages/kernel.html');
  });
  afterAll(() => lab?.close());

  it('has WebAssembly SIMD and gives the same top-k as the fallback and a naive scan', async () => {
    expect(await lab.session.page.evaluate(() => (globalThis as any).kernel.simd())).toBe(true);
    const r = (await lab.session.page.evaluate(() => (globalThis as any).kernel.compare(3000, 77, 10))) as Record<string, number[][]>;
    expect(r['wasm-simd/float32']).toEqual(r['naive/float32']);
    expect(r['js/float32']).toEqual(r['naive/float32']);
    expect(r['wasm-simd/int8']).toEqual(r['js/int8']);
    expect(r['wasm-simd/binary']).toEqual(r['js/binary']);
    expect(r['wasm-simd/int8']![0]!.length).toBe(10);
  });
});
