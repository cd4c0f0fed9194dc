// One query under float32, int8 and binary, side by side, over the collection's
// own vectors: bytes per vector, scan time (median of repeated scans), and how
// many of float32's top 10 each keeps, without and with exact rescoring.
import { createFlatIndex, type Embedder, type Precision, type SearchIndex, type VectorStore } from '../index.ts';

export interface PrecisionRow {
  precision: Precision;
  bytesPerVector: number;
  scanMs: number;
  recallRaw: number;
  recallRescored: number;
  rescoredMs: number;
}

const K = 10;
const REPEATS = 15;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timed(run: () => void): number {
  run(); // warm-up: the first scan pays for memory growth and JIT
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export async function compareQuantization(
  embedder: Embedder,
  store: VectorStore,
  index: SearchIndex,
  query: string,
): Promise<{ rows: PrecisionRow[]; count: number }> {
  const { vectors, ids } = await store.loadVectors(index.manifest.name);
  if (ids.length < K)
    throw new Error(
      `Comparing precisions needs at least ${K} indexed passages (this collection has ${ids.length}): load the sample corpus or add files first.`,
    );
  const dim = embedder.info.dimension;
  const { vectors: q } = await embedder.embed([query], 'query');
  const out: PrecisionRow[] = [];
  let exact: Set<number> | undefined;
  for (const precision of ['float32', 'int8', 'binary'] as const) {
    const flat = createFlatIndex({ dimension: dim, precision, normalize: false, ...(precision === 'int8' ? { calibrationEmbeddings: vectors } : {}) });
    flat.add(vectors);
    const raw = flat.search(q, { k: K, rescore: 1 });
    const rescored = flat.search(q, { k: K, rescore: 4 });
    exact ??= new Set(raw.map((h) => h.index));
    const recall = (hits: { index: number }[]) => hits.filter((h) => exact!.has(h.index)).length / K;
    out.push({
      precision,
      bytesPerVector: flat.bytesPerVector,
      scanMs: timed(() => flat.search(q, { k: K, rescore: 1 })),
      rescoredMs: precision === 'float32' ? NaN : timed(() => flat.search(q, { k: K, rescore: 4 })),
      recallRaw: recall(raw),
      recallRescored: precision === 'float32' ? 1 : recall(rescored),
    });
  }
  return { rows: out, count: ids.length };
}
