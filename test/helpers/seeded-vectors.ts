// Seeded benchmark data: random unit vectors, and clustered rows near a
// low-dimensional subspace (like real embeddings).
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

export function gaussian(r: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
}

export type DataKind = 'random' | 'clustered';

/** n + q rows (the last q are queries from the same distribution), L2-normalized. */
export function makeData(kind: DataKind, n: number, q: number, dim: number, seed: number): { corpus: Float32Array; queries: Float32Array } {
  const g = gaussian(rng(seed));
  const total = n + q;
  const out = new Float32Array(total * dim);
  if (kind === 'random') {
    for (let i = 0; i < out.length; i++) out[i] = g();
  } else {
    const rank = 16;
    const centers = 64;
    const basis = Float32Array.from({ length: rank * dim }, g);
    const centerCoef = Float32Array.from({ length: centers * rank }, g);
    const coef = new Float32Array(rank);
    for (let i = 0; i < total; i++) {
      const c = Math.floor(((g() * 1e6) % centers) + centers) % centers;
      for (let b = 0; b < rank; b++) coef[b] = centerCoef[c * rank + b]! + 0.5 * g();
      const row = out.subarray(i * dim, i * dim + dim);
      for (let j = 0; j < dim; j++) row[j] = 0.15 * g();
      for (let b = 0; b < rank; b++) {
        const cb = coef[b]! / Math.sqrt(rank);
        const base = b * dim;
        for (let j = 0; j < dim; j++) row[j]! += cb * basis[base + j]!;
      }
    }
  }
  for (let i = 0; i < total; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += out[i * dim + j]! ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < dim; j++) out[i * dim + j]! *= inv;
  }
  return { corpus: out.subarray(0, n * dim), queries: out.subarray(n * dim) };
}
