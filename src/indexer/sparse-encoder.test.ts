// The build-time sparse encoder against a plain reference: onnxruntime run on one
// passage at a time (no batching, no padding), the activation applied at every
// position in float64, then the max, special tokens zeroed: the definition, written
// the slow way. Every passage of a corpus must agree within 1e-5.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { activate } from '../core/sparse-index.ts';
import { forgeModel, FORGED_MODELS, MODELS_ROOT } from '../../scripts/forge/forge.ts';
import { loadSparseEncoder, type SparseEncoder } from './sparse-encoder.ts';

const MODEL = 'pagesense-test/sparse-tiny';
const CORPUS = join(process.cwd(), '..', 'shared', 'corpora', 'vite-docs', 'guide');

function corpusPassages(): string[] {
  const texts = ['', 'a', 'Hello, World!', 'naïve café 中文 😀 [MASK] text', 'word '.repeat(600)];
  if (!existsSync(CORPUS)) return texts;
  for (const f of ['features.md', 'env-and-mode.md', 'static-deploy.md', 'ssr.md']) {
    for (const block of readFileSync(join(CORPUS, f), 'utf8').split(/\n\s*\n/)) if (block.trim()) texts.push(block.slice(0, 1500));
  }
  return texts;
}

let encoder: SparseEncoder;
beforeAll(async () => {
  forgeModel(FORGED_MODELS.find((m) => m.id === MODEL)!);
  encoder = await loadSparseEncoder({ model: MODEL, localModelPath: MODELS_ROOT, pruning: { topTerms: Infinity, minWeight: 0 }, maxBatchTokens: 700 });
});

describe('sparse encoder', () => {
  it('matches the reference definition within 1e-5 on every passage of a corpus', async () => {
    const texts = corpusPassages();
    expect(texts.length).toBeGreaterThan(existsSync(CORPUS) ? 40 : 4);
    const got = await encoder.encode(texts);
    env.allowRemoteModels = false;
    env.localModelPath = MODELS_ROOT + '/';
    const tok = await AutoTokenizer.from_pretrained(MODEL);
    const session = await ort.InferenceSession.create(join(MODELS_ROOT, MODEL, 'onnx', 'model.onnx'));
    const V = encoder.vocabulary.length;
    const specials = new Set(encoder.tokenizer.specials.map((s) => encoder.vocabulary.indexOf(s)));
    let worst = 0;
    for (let t = 0; t < texts.length; t++) {
      const ids = (tok.encode(texts[t]!) as number[]).slice(0, 511);
      if (ids.length === 511) ids.push(102); // truncation keeps [SEP] last
      const long = (f: (j: number) => number) =>
        new ort.Tensor(
          'int64',
          BigInt64Array.from(ids, (_, j) => BigInt(f(j))),
          [1, ids.length],
        );
      const out = await session.run({ input_ids: long((j) => ids[j]!), attention_mask: long(() => 1), token_type_ids: long(() => 0) });
      const logits = out.logits!.data as Float32Array;
      const want = new Float64Array(V);
      for (let p = 0; p < ids.length; p++) for (let v = 0; v < V; v++) want[v] = Math.max(want[v]!, activate(encoder.activation, logits[p * V + v]!));
      for (const s of specials) want[s] = 0;
      const have = new Float64Array(V);
      got[t]!.ids.forEach((id, i) => (have[id] = got[t]!.weights[i]!));
      for (let v = 0; v < V; v++) worst = Math.max(worst, Math.abs(have[v]! - want[v]!));
    }
    expect(worst).toBeLessThanOrEqual(1e-5);
  });

  it('prunes to the top terms by weight and drops weights under the minimum', async () => {
    const text = 'The dev server proxy forwards requests to the backend API.';
    const [full] = await encoder.encode([text]);
    const pruned = await loadSparseEncoder({ model: MODEL, localModelPath: MODELS_ROOT, pruning: { topTerms: 20, minWeight: 0.3 } });
    const [few] = await pruned.encode([text]);
    const best = [...full!.ids]
      .map((id, i) => ({ id, w: full!.weights[i]! }))
      .filter((x) => x.w >= 0.3)
      .sort((a, b) => b.w - a.w || a.id - b.id)
      .slice(0, 20);
    expect([...few!.ids]).toEqual(best.map((b) => b.id).sort((a, b) => a - b));
    expect(Math.min(...few!.weights)).toBeGreaterThanOrEqual(0.3);
    await pruned.dispose();
  });

  it('names the files a sparse model lacks and how to get them', async () => {
    await expect(
      loadSparseEncoder({ model: 'opensearch-project/opensearch-neural-sparse-encoding-doc-v3-distill', localModelPath: '/nowhere' }),
    ).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringContaining('fetch-model'),
    });
    await expect(loadSparseEncoder({ model: 'bert-base-uncased', localModelPath: MODELS_ROOT })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
