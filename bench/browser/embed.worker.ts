// Chromium side of bench:embed: ours and the plain pipeline in one Worker, on WASM.
import * as Comlink from 'comlink';
import { env, pipeline } from '@huggingface/transformers';
import { loadTransformersEmbedder } from '../../src/embedding/transformers-runtime.ts';

const api = {
  async run(model: string, texts: string[], threads: number, batches: number[], query: string) {
    const origin = self.location.origin;
    const out: Record<string, unknown>[] = [];
    const median = (t: number[]) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)]!;
    const ours = await Promise.all(
      batches.map((b) =>
        loadTransformersEmbedder({ model, device: 'wasm', dtype: 'fp32', batchSize: b, threads, localModelPath: '/models/', wasmBase: `${origin}/ort/` }),
      ),
    );
    // Same env as ours (wasm paths, local models, threads), set by the runtime above.
    env.allowRemoteModels = false;
    const pipe = await pipeline('feature-extraction', model, { device: 'wasm', dtype: 'fp32' });
    for (const [i, batch] of batches.entries()) {
      const e = ours[i]!;
      await e.embed(texts.slice(0, 2), 'passage');
      let t0 = performance.now();
      await e.embed(texts, 'passage');
      const tps = texts.length / ((performance.now() - t0) / 1000);
      const q: number[] = [];
      for (let r = 0; r < 7; r++) {
        const t = performance.now();
        await e.embed([query], 'query');
        q.push(performance.now() - t);
      }
      out.push({ method: 'pagesense', dtype: 'fp32', threads, batch, texts_per_second: tps, ms_per_query: median(q), peer: false });
      t0 = performance.now();
      for (let s = 0; s < texts.length; s += batch) await pipe(texts.slice(s, s + batch), { pooling: 'cls', normalize: true });
      const ptps = texts.length / ((performance.now() - t0) / 1000);
      const pq: number[] = [];
      for (let r = 0; r < 7; r++) {
        const t = performance.now();
        await pipe(query, { pooling: 'cls', normalize: true });
        pq.push(performance.now() - t);
      }
      out.push({
        method: 'transformers.js-pipeline',
        dtype: 'fp32',
        threads,
        batch,
        texts_per_second: ptps,
        ms_per_query: median(pq),
        peer: 'transformers.js-pipeline',
      });
    }
    return out;
  },
};
export type EmbedBenchApi = typeof api;
Comlink.expose(api);
