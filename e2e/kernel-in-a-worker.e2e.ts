// The scan kernels in real Chromium, inside a Worker: WASM SIMD is picked, and it
// agrees with the TypeScript fallback and with a naive scan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ViteDevServer } from 'vite';
import { launch } from './browser.ts';
import { startLabServer } from './lab-server.ts';

describe('the search kernel runs in a Chromium worker', () => {
  let server: ViteDevServer;
  let session: Awaited<ReturnType<typeof launch>>;

  beforeAll(async () => {
    const lab = await startLabServer();
    server = lab.server;
    session = await launch();
    await session.page.goto(`${lab.url}e2e/pages/kernel.html`);
    await session.page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 60_000 });
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('has WebAssembly SIMD and gives the same top-k as the fallback and a naive scan', async () => {
    expect(await session.page.evaluate(() => (globalThis as any).kernel.simd())).toBe(true);
    const r = (await session.page.evaluate(() => (globalThis as any).kernel.compare(3000, 77, 10))) as Record<string, number[][]>;
    expect(r['wasm-simd/float32']).toEqual(r['naive/float32']);
    expect(r['js/float32']).toEqual(r['naive/float32']);
    expect(r['wasm-simd/int8']).toEqual(r['js/int8']);
    expect(r['wasm-simd/binary']).toEqual(r['js/binary']);
    expect(r['wasm-simd/int8']![0]!.length).toBe(10);
  });
});
