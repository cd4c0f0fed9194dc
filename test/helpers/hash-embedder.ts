// A deterministic bag-of-words Embedder for unit tests of the layers above the model.
import { normalizeRows } from '../../src/core/vectors.ts';
import type { Embedder, EmbedderInfo } from '../../src/embedding/embedder.ts';

export function hashEmbedder(dimension = 16, modelId = 'test/hash'): Embedder & { calls: { texts: string[]; kind: string }[] } {
  const calls: { texts: string[]; kind: string }[] = [];
  const info: EmbedderInfo = {
    modelId,
    revision: 'main',
    dimension,
    pooling: 'mean',
    normalized: true,
    queryInstruction: '',
    device: 'cpu',
    dtype: 'fp32',
    deviceReason: 'test',
    generated: true,
    source: 'memory',
  };
  return {
    info,
    calls,
    async embed(texts, kind) {
      calls.push({ texts: [...texts], kind });
      const out = new Float32Array(texts.length * dimension);
      texts.forEach((t, i) => {
        for (const w of t.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
          let h = 2166136261;
          for (const c of w) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
          out[i * dimension + ((h >>> 0) % dimension)]! += 1;
        }
      });
      return { vectors: normalizeRows(out, dimension), truncated: texts.map(() => false) };
    },
    async dispose() {},
  };
}
