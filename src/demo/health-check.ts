// Self-tests the reader can run in their own browser: each checks one promise the
// engine makes, against a plain reference computed here, and reports its numbers.
import { createFlatIndex, createWorkerEmbedder, normalizeRows, openIndexedDBStore, type Dtype, type Embedder, type EmbeddingSpec } from '../index.ts';

export interface CheckResult {
  name: string;
  status: 'pass' | 'fail' | 'skip';
  detail: string;
}

function seededRows(rows: number, dim: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  return Float32Array.from({ length: rows * dim }, next);
}

function checkNormalization(): CheckResult {
  const dim = 384;
  const rows = seededRows(64, dim, 7);
  rows.fill(0, 5 * dim, 6 * dim); // row 5 is all zeros
  const out = normalizeRows(rows, dim);
  let worst = 0;
  for (let r = 0; r < 64; r++) {
    if (r === 5) continue;
    let n = 0;
    for (let j = 0; j < dim; j++) n += out[r * dim + j]! ** 2;
    worst = Math.max(worst, Math.abs(Math.sqrt(n) - 1));
  }
  const zeroStays = out.subarray(5 * dim, 6 * dim).every((v) => v === 0);
  const ok = worst < 1e-5 && zeroStays;
  return {
    name: 'Normalization',
    status: ok ? 'pass' : 'fail',
    detail: `63 rows: worst |‖v‖ − 1| = ${worst.toExponential(1)}; the zero row ${zeroStays ? 'stays zero' : 'changed'}`,
  };
}

function checkKernel(): CheckResult {
  const dim = 384,
    n = 3000,
    q = 8,
    k = 10;
  const corpus = normalizeRows(seededRows(n, dim, 11), dim);
  const queries = normalizeRows(seededRows(q, dim, 12), dim);
  const index = createFlatIndex({ dimension: dim, normalize: false });
  index.add(corpus);
  const got = index.searchBatch(queries, { k });
  let mismatches = 0,
    worst = 0;
  for (let i = 0; i < q; i++) {
    const scores = Array.from({ length: n }, (_, r) => {
      let s = 0;
      for (let j = 0; j < dim; j++) s += queries[i * dim + j]! * corpus[r * dim + j]!;
      return [s, r] as const;
    }).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
    scores.slice(0, k).forEach(([s, r], rank) => {
      if (got[i]![rank]?.index !== r) mismatches++;
      worst = Math.max(worst, Math.abs((got[i]![rank]?.score ?? NaN) - s));
    });
  }
  const ok = mismatches === 0 && worst < 1e-4;
  return {
    name: `Scan kernel (${index.backend}) vs a naive scan`,
    status: ok ? 'pass' : 'fail',
    detail: `${q} queries × ${n} rows, top ${k}: ${mismatches} rank mismatches, largest score difference ${worst.toExponential(1)}`,
  };
}

async function checkDevices(embedder: Embedder | undefined, modelId: string): Promise<CheckResult> {
  const name = 'WebGPU vs WASM parity';
  if (!embedder) return { name, status: 'skip', detail: 'no model is loaded' };
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null;
  if (!adapter) return { name, status: 'skip', detail: 'this browser offers no WebGPU adapter, so only WASM runs here' };
  const other = embedder.info.device === 'webgpu' ? 'wasm' : 'webgpu';
  const texts = ['the quick brown fox', 'semantic search in the page'];
  const second = await createWorkerEmbedder({ model: modelId, device: other, dtype: embedder.info.dtype as Dtype });
  try {
    if (second.info.device !== other) return { name, status: 'skip', detail: `the ${other} backend did not load: ${second.info.deviceReason}` };
    const [a, b] = [await embedder.embed(texts, 'passage'), await second.embed(texts, 'passage')];
    const dim = embedder.info.dimension;
    const cosines = texts.map((_, i) => a.vectors.subarray(i * dim, (i + 1) * dim).reduce((s, v, j) => s + v * b.vectors[i * dim + j]!, 0));
    const worst = Math.min(...cosines);
    return {
      name,
      status: worst >= 0.999 ? 'pass' : 'fail',
      detail: `${embedder.info.device} vs ${other}, ${texts.length} texts: lowest cosine ${worst.toFixed(5)} (needs ≥ 0.999)`,
    };
  } finally {
    await second.dispose();
  }
}

async function checkStorage(): Promise<CheckResult> {
  const store = await openIndexedDBStore({ databaseName: 'pagesense-health-check' });
  const name = `check-${Date.now()}`;
  const dim = 8;
  const spec: EmbeddingSpec = { modelId: 'health-check', revision: '1', dimension: dim, pooling: 'cls', normalized: false, queryInstruction: '' };
  try {
    await store.openCollection(name, spec);
    const vectors = seededRows(3, dim, 3);
    const docs = ['α: unicode survives', 'b <b>not markup</b>', 'c'].map((text, i) => ({ id: `d${i}`, text, meta: { n: i } }));
    await store.append(name, docs, vectors);
    const back = await store.getVectors(name, ['d2', 'd0', 'd1']);
    const texts = (await store.getDocuments(name, ['d0', 'd1', 'd2'])).map((d) => d?.text);
    const order = [2, 0, 1];
    const sameVectors = order.every((src, i) => back.subarray(i * dim, (i + 1) * dim).every((v, j) => v === vectors[src * dim + j]));
    const sameTexts = texts.every((t, i) => t === docs[i]!.text);
    const ok = sameVectors && sameTexts;
    return {
      name: 'Storage round trip (IndexedDB)',
      status: ok ? 'pass' : 'fail',
      detail: `3 documents written and read back: vectors ${sameVectors ? 'bit-identical' : 'differ'}, texts ${sameTexts ? 'identical' : 'differ'}`,
    };
  } finally {
    await store.clear(name).catch(() => undefined);
    store.close();
  }
}

async function checkModel(embedder: Embedder | undefined): Promise<CheckResult> {
  const name = 'Model gives unit vectors, the same each time';
  if (!embedder) return { name, status: 'skip', detail: 'no model is loaded' };
  const dim = embedder.info.dimension;
  const [a, b] = [await embedder.embed(['pagesense health check'], 'passage'), await embedder.embed(['pagesense health check'], 'passage')];
  const norm = Math.sqrt(a.vectors.reduce((s, v) => s + v * v, 0));
  const same = a.vectors.every((v, i) => v === b.vectors[i]);
  const ok = Math.abs(norm - 1) < 1e-4 && same && a.vectors.length === dim;
  return { name, status: ok ? 'pass' : 'fail', detail: `‖v‖ = ${norm.toFixed(6)}, ${dim} dimensions, two runs ${same ? 'identical' : 'differ'}` };
}

/** Runs every check in turn, reporting each as it finishes. */
export async function runHealthCheck(embedder: Embedder | undefined, modelId: string, onResult: (r: CheckResult) => void): Promise<CheckResult[]> {
  const checks: (() => CheckResult | Promise<CheckResult>)[] = [
    checkNormalization,
    checkKernel,
    () => checkModel(embedder),
    checkStorage,
    () => checkDevices(embedder, modelId),
  ];
  const results: CheckResult[] = [];
  for (const check of checks) {
    let r: CheckResult;
    try {
      r = await check();
    } catch (err) {
      r = { name: check.name || 'check', status: 'fail', detail: `threw: ${String((err as Error)?.message ?? err)}` };
    }
    results.push(r);
    onResult(r);
  }
  return results;
}
