// The embedding worker on each device in real Chromium (launched with
// --enable-unsafe-webgpu, which offers SwiftShader's software adapter): device
// choice, WebGPU/WASM parity, Node/browser parity, and queries between batches.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTransformersEmbedder } from '../src/embedding/transformers-runtime.ts';
import { MODELS_ROOT } from '../scripts/forge/forge.ts';
import { openLabPage, type LabPage } from './lab-page.ts';

const TINY = 'pagesense-test/bert-tiny';
const TEXTS = [
  'i like strawberries',
  'The quick brown fox jumps over the lazy dog.',
  'vite config server proxy',
  'a much longer sentence that has quite a few more tokens than the others in this small batch',
];

function cosines(a: number[], b: ArrayLike<number>, dim: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < a.length / dim; r++) {
    let d = 0,
      na = 0,
      nb = 0;
    for (let j = 0; j < dim; j++) {
      const x = a[r * dim + j]!,
        y = b[r * dim + j]!;
      d += x * y;
      na += x * x;
      nb += y * y;
    }
    out.push(d / Math.sqrt(na * nb));
  }
  return out;
}

describe('embedding devices in Chromium', () => {
  let lab: LabPage;
  const call = <T>(fn: string, ...args: unknown[]) =>
    lab.session.page.evaluate(([f, a]) => (globalThis as any).embedCheck[f as string](...(a as unknown[])), [fn, args] as const) as Promise<T>;

  beforeAll(async () => {
    lab = await openLabPage('e2e/pages/embed.html', { webgpu: true });
  });
  afterAll(() => lab?.close());

  it('auto picks WASM over a software-only WebGPU adapter and says why', async () => {
    const info = await call<{ device: string; deviceReason: string }>('load', TINY, 'auto');
    expect(info.device).toBe('wasm');
    expect(info.deviceReason).toMatch(/fallback adapter|no adapter|navigator\.gpu/);
  });

  it('WebGPU (forced) and WASM give the same vectors', async () => {
    const gpu = await call<{ device: string }>('load', TINY, 'webgpu');
    expect(gpu.device).toBe('webgpu');
    await call('load', TINY, 'wasm');
    const a = await call<{ vectors: number[] }>('embed', TINY, 'webgpu', TEXTS);
    const b = await call<{ vectors: number[] }>('embed', TINY, 'wasm', TEXTS);
    for (const c of cosines(a.vectors, b.vectors, 32)) expect(c).toBeGreaterThanOrEqual(0.999);
  });

  it('browser WASM agrees with onnxruntime-node', async () => {
    const browser = await call<{ vectors: number[] }>('embed', TINY, 'wasm', TEXTS);
    const node = await loadTransformersEmbedder({ model: TINY, localModelPath: join(MODELS_ROOT, '/') });
    const { vectors } = await node.embed(TEXTS, 'passage');
    for (const c of cosines(browser.vectors, vectors, 32)) expect(c).toBeGreaterThanOrEqual(0.99999);
    await node.dispose();
  });

  it('a query sent during a bulk job is answered before the job ends', async () => {
    await call('load', 'pagesense-test/bge-small-arch', 'wasm');
    const bulk = Array.from({ length: 96 }, (_, i) => `Passage number ${i} talks about rivers, lanterns and copper engines in some detail.`);
    const r = await call<{ order: string[]; queryMs: number }>('race', 'pagesense-test/bge-small-arch', 'wasm', bulk, 'copper engines');
    expect(r.order).toEqual(['query', 'bulk']);
  });
});
