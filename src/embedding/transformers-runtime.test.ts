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

  it('pools another way for one call when asked, and refuses a pooling it does not know', async () => {
    const texts = ['the river bends near the old mill', 'a lantern in the harbor'];
    const own = await embedder.embed(texts, 'passage');
    const cls = await embedder.embed(texts, 'passage', undefined, { pooling: 'cls' });
    const mean = await embedder.embed(texts, 'passage', undefined, { pooling: 'mean' });
    expect(Array.from(cls.vectors)).toEqual(Array.from(own.vectors));
    // Mean pooling averages every token: a different vector, still unit length.
    expect(cos(mean.vectors.subarray(0, 32), own.vectors.subarray(0, 32))).toBeLessThan(0.999);
    expect(cos(mean.vectors.subarray(0, 32), mean.vectors.subarray(0, 32))).toBeCloseTo(1, 5);
    await expect(embedder.embed(texts, 'passage', undefined, { pooling: 'max' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
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
    await expect(loadTransformersEmbedder({ model: 'pagesense-test/bge-small-arch', localModelPath: '/nonexistent/' })).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringContaining('/nonexistent/'),
    });
  });

  it('cancels between batches with CANCELLED', async () => {
    const controller = new AbortController();
    const texts = Array.from({ length: 30 }, (_, i) => `text number ${i}`);
    const seen: number[] = [];
    const run = embedder.embed(
      texts,
      'passage',
      (p) => {
        if (p.status === 'embed') {
          seen.push(p.done);
          if (p.done >= 3) controller.abort();
        }
      },
      { signal: controller.signal },
    );
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen.at(-1)).toBeLessThan(30);
  });

  it('runs a query ahead of queued passage batches', async () => {
    const order: string[] = [];
    const bulk = embedder
      .embed(
        Array.from({ length: 60 }, (_, i) => `bulk text ${i}`),
        'passage',
      )
      .then(() => order.push('bulk'));
    const query = embedder.embed(['a query'], 'query').then(() => order.push('query'));
    await Promise.all([bulk, query]);
    expect(order).toEqual(['query', 'bulk']);
  });

  it('reports embed progress that never goes backwards and ends at the total', async () => {
    const done: number[] = [];
    await embedder.embed(
      Array.from({ length: 10 }, (_, i) => `t ${i}`),
      'passage',
      (p) => p.status === 'embed' && done.push(p.done),
    );
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done.at(-1)).toBe(10);
  });
});
