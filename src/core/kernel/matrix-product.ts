// A full score matrix A·Bᵀ through the scan kernels: B's rows are laid out once in
// the kernels' memory and A's rows go through four at a time (f32Scores4), so a
// 1,000 x 1,000 similarity matrix costs one blocked product, not a triple loop.
import { createError } from '../errors.ts';
import type { Matrix } from '../matrix.ts';
import { createScanKernels, type BackendName } from './scan-kernels.ts';

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

/** Scores rows against a fixed B laid out once in the kernels' memory: out[i * b.rows + j] = dot(rows[i], b[j]). */
export interface RowScorer {
  score(rows: Float32Array, count: number, out: Float32Array): void;
}

export function createRowScorer(b: Matrix, backend: 'auto' | BackendName = 'auto'): RowScorer {
  const dim = b.dim;
  const kernels = createScanKernels(backend);
  const stride = roundUp(dim, 16);
  const rowBytes = stride * 4;
  const queriesAt = 0;
  const scoresAt = roundUp(4 * rowBytes, 64);
  const rowsAt = roundUp(scoresAt + 4 * b.rows * 4, 64);
  kernels.ensure(rowsAt + b.rows * rowBytes, true);
  const mem = new Float32Array(kernels.buffer);
  for (let j = 0; j < b.rows; j++) mem.set(b.data.subarray(j * dim, (j + 1) * dim), rowsAt / 4 + j * stride);
  return {
    score(rows, count, out) {
      for (let i = 0; i < count; i += 4) {
        const n = Math.min(4, count - i);
        // Unused query slots are zeros: their scores are computed and ignored.
        mem.fill(0, queriesAt / 4, queriesAt / 4 + 4 * stride);
        for (let q = 0; q < n; q++) mem.set(rows.subarray((i + q) * dim, (i + q + 1) * dim), queriesAt / 4 + q * stride);
        kernels.f32Scores4(queriesAt, rowsAt, b.rows, stride, scoresAt, b.rows);
        for (let q = 0; q < n; q++) out.set(mem.subarray(scoresAt / 4 + q * b.rows, scoresAt / 4 + (q + 1) * b.rows), (i + q) * b.rows);
      }
    },
  };
}

/** out[i][j] = dot(a[i], b[j]) as an a.rows x b.rows Matrix (`dim` is b.rows). */
export function matrixProduct(a: Matrix, b: Matrix, backend: 'auto' | BackendName = 'auto'): Matrix {
  if (a.dim !== b.dim) throw createError('DIMENSION_MISMATCH', `dimensions differ: ${a.dim} and ${b.dim}`);
  const out = new Float32Array(a.rows * b.rows);
  if (a.rows > 0 && b.rows > 0) createRowScorer(b, backend).score(a.data, a.rows, out);
  return { data: out, rows: a.rows, dim: b.rows };
}
