// The in-process runtime on the generated tiny model (onnxruntime-node).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { forgeModel, FORGED_MODELS, MODELS_ROOT } from '../../scripts/forge/forge.ts';
import type { Embedder } from './embedder.ts';
import { loadTransformersEmbedder } from './transformers-runtime.ts';

const MODEL = 'pagesense-test/bert-tiny';
let embedder: Embedder;

beforeAll(async () => {
  forgeModel(FORGED_MODELS.find((m) => m.id === MODEL)!);
  embedder = await loadTransformersEmbedder({ model: MODEL, localModelPath: join(MODELS_ROOT, '/'), batchSize: 3 });
});

const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('transformers runtime', () => {
  it('reports what it runs', () => {
    expect(embedder.info).toMatchObject({ modelId: MODEL, dimension: 32, pooling: 'cls', device: 'cpu', generated: true });
  });

  it('returns unit vectors in input order whatever the batching', async () => {
    const texts = ['a much longer text with quite a few more words than the others', 'short', 'medium length text here', 'x y', 'another one'];
    const all = await embedder.embed(texts, 'passage');
    for (const [i, t] of texts.entries()) {
      const one = await embedder.embed([t], 'passage');
      const row = all.vectors.subarray(i * 32, i * 32 + 32);
      expect(cos(row, one.vectors)).toBeGreaterThan(0.99999);
      expect(cos(row, row)).toBeCloseTo(1, 5);
    }
  });

  it('truncates at the token limit and says so', async () => {
    const long = 'word '.repeat(700);
    const r = await embedder.embed(['short text', long], 'passage');
    expect(r.truncated).toEqual([false, true]);
    expect(Array.from(r.vectors).every(Number.isFinite)).toBe(true);
  });

  it('rejects empty text with EMPTY_TEXT', async () => {
    await expect(embedder.embed(['ok', ''], 'passage')).rejects.toMatchObject({ code: 'EMPTY_TEXT' });
  });

  it('names the places it tried when a model is missing', async () => {
    await expect(loadTransformersEmbedder({ model: 'pagesense-test/bge-small-arch', localModelPath: '/nonexistent/' }))
      .rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', message: expect.stringContaining('/nonexistent/') });
  });
});
