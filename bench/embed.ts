// `npm run bench:embed [-- --json] [-- --browser]`: texts/second and per-query latency
// of our embedder against transformers.js's plain pipeline('feature-extraction'),
// and against a bare onnxruntime session, on the full-size BGE-small architecture.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { AutoTokenizer, env, pipeline } from '@huggingface/transformers';
import { loadTransformersEmbedder } from '../src/embedding/transformers-runtime.ts';
import { FORGED_MODELS, MODELS_ROOT, forgeModel } from '../scripts/forge/forge.ts';
import { samplePassages } from './corpus.ts';

const JSON_OUT = process.argv.includes('--json');
const NODE = !process.argv.includes('--browser-only');
const BROWSER = process.argv.includes('--browser');
const MODEL = 'pagesense-test/bge-small-arch';
const BATCHES = [1, 8, 32];
const QUERY = 'How do I configure the dev server proxy?';

const emit = (r: Record<string, unknown>) => {
  if (JSON_OUT) console.log(JSON.stringify(r));
  else
    console.log(
      `${String(r['method']).padEnd(28)} ${String(r['env']).padEnd(16)} ${String(r['dtype']).padEnd(5)} threads ${String(r['threads']).padEnd(3)} batch ${String(r['batch']).padEnd(3)} ${r['texts_per_second'] !== undefined ? `${(r['texts_per_second'] as number).toFixed(1)} texts/s` : ''} ${r['ms_per_query'] !== undefined ? `${(r['ms_per_query'] as number).toFixed(1)} ms/query` : ''}${r['note'] ? `  ${r['note']}` : ''}`,
    );
};
const median = (t: number[]) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)]!;

const sample = samplePassages(256);
if (!sample) {
  console.log('bench:embed: ../shared/corpora/vite-docs is missing; skipping (the corpus lives beside the project, see shared/corpora/README.md)');
  process.exit(0);
}
const texts: string[] = sample;
forgeModel(FORGED_MODELS.find((m) => m.id === MODEL)!);
env.allowRemoteModels = false;
env.localModelPath = join(MODELS_ROOT, '/');
const base = { env: 'node', threads: 'default' };

async function runNode(): Promise<void> {
  for (const dtype of ['fp32', 'q8'] as const) {
    const pipe = await pipeline('feature-extraction', MODEL, { dtype });
    for (const batch of BATCHES) {
      const ours = await loadTransformersEmbedder({ model: MODEL, localModelPath: join(MODELS_ROOT, '/'), dtype, batchSize: batch });
      await ours.embed(texts.slice(0, 4), 'passage'); // warm up
      let t0 = performance.now();
      await ours.embed(texts, 'passage');
      const oursTps = texts.length / ((performance.now() - t0) / 1000);
      const q: number[] = [];
      for (let i = 0; i < 15; i++) {
        const t = performance.now();
        await ours.embed([QUERY], 'query');
        q.push(performance.now() - t);
      }
      emit({ method: 'pagesense', ...base, dtype, batch, texts_per_second: oursTps, ms_per_query: median(q), peer: false });
      await ours.dispose();

      await pipe(texts.slice(0, 4), { pooling: 'cls', normalize: true });
      t0 = performance.now();
      for (let s = 0; s < texts.length; s += batch) await pipe(texts.slice(s, s + batch), { pooling: 'cls', normalize: true });
      const pipeTps = texts.length / ((performance.now() - t0) / 1000);
      const pq: number[] = [];
      for (let i = 0; i < 15; i++) {
        const t = performance.now();
        await pipe(QUERY, { pooling: 'cls', normalize: true });
        pq.push(performance.now() - t);
      }
      emit({
        method: 'transformers.js-pipeline',
        ...base,
        dtype,
        batch,
        texts_per_second: pipeTps,
        ms_per_query: median(pq),
        peer: 'transformers.js-pipeline',
      });
    }
    await pipe.dispose();
  }

  // Our per-query overhead against a bare onnxruntime session run on the same (pre-tokenized) input.
  {
    const tok = await AutoTokenizer.from_pretrained(MODEL);
    const ids = tok.encode(QUERY) as number[];
    const feed = (v: (i: number) => number) => new ort.Tensor('int64', BigInt64Array.from(ids.map((_, i) => BigInt(v(i)))), [1, ids.length]);
    const session = await ort.InferenceSession.create(readFileSync(join(MODELS_ROOT, MODEL, 'onnx', 'model.onnx')));
    const feeds = { input_ids: feed((i) => ids[i]!), attention_mask: feed(() => 1), token_type_ids: feed(() => 0) };
    await session.run(feeds);
    const bare: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      await session.run(feeds);
      bare.push(performance.now() - t);
    }
    emit({ method: 'onnxruntime-session-run', ...base, dtype: 'fp32', batch: 1, ms_per_query: median(bare), peer: 'onnxruntime-node' });
  }

  // q8 against fp32: how close the quantized model's vectors are.
  {
    const f = await loadTransformersEmbedder({ model: MODEL, localModelPath: join(MODELS_ROOT, '/'), dtype: 'fp32', batchSize: 32 });
    const q = await loadTransformersEmbedder({ model: MODEL, localModelPath: join(MODELS_ROOT, '/'), dtype: 'q8', batchSize: 32 });
    const a = (await f.embed(texts.slice(0, 64), 'passage')).vectors;
    const b = (await q.embed(texts.slice(0, 64), 'passage')).vectors;
    const cos: number[] = [];
    for (let r = 0; r < 64; r++) {
      let d = 0;
      for (let j = 0; j < 384; j++) d += a[r * 384 + j]! * b[r * 384 + j]!;
      cos.push(d);
    }
    emit({
      method: 'q8-vs-fp32-cosine',
      ...base,
      dtype: 'q8',
      batch: 32,
      mean_cosine: cos.reduce((x, y) => x + y, 0) / 64,
      min_cosine: Math.min(...cos),
      note: `mean cosine ${(cos.reduce((x, y) => x + y, 0) / 64).toFixed(5)}, min ${Math.min(...cos).toFixed(5)}`,
      peer: false,
    });
  }
}

if (NODE) await runNode();
// Chromium WASM takes ~10 texts/s for this model here: a 64-passage slice of the same sample keeps it to minutes.
if (BROWSER) await import('./embed-browser.ts').then((m) => m.runBrowser(emit, texts.slice(0, 64), MODEL, QUERY));
