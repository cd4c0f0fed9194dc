// The embedding shapes the sentence-transformers util mirror takes: an array of rows
// (Float32Array or number[]), or one row-major matrix { data, rows, dim }.
import { createError } from './errors.ts';
import { assertVectors } from './vectors.ts';

export interface Matrix {
  /** Row-major, rows x dim. */
  data: Float32Array;
  rows: number;
  dim: number;
}

export type Embeddings = Matrix | readonly (Float32Array | readonly number[])[];

export function toMatrix(e: Embeddings, what = 'embeddings'): Matrix {
  if (!Array.isArray(e)) {
    const m = e as Matrix;
    if (typeof m !== 'object' || m === null || !(m.data instanceof Float32Array) || !Number.isInteger(m.rows) || !Number.isInteger(m.dim) || m.dim <= 0) {
      throw createError('INVALID_ARGUMENT', `${what} must be an array of rows or { data: Float32Array, rows, dim }`);
    }
    if (m.data.length !== m.rows * m.dim) throw createError('DIMENSION_MISMATCH', `${what}: ${m.data.length} values for ${m.rows} x ${m.dim}`);
    assertVectors(m.data, m.dim, what);
    // rows: -0 passes the checks above (an integer, 0 values) but would come back as -0: count it as 0.
    return Object.is(m.rows, -0) ? { data: m.data, rows: 0, dim: m.dim } : m;
  }
  const rows = e as readonly (Float32Array | readonly number[])[];
  if (rows.length === 0) throw createError('INVALID_ARGUMENT', `${what} is empty`);
  // An index loop, not forEach: a sparse array's holes are rows too.
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!(r instanceof Float32Array) && !Array.isArray(r))
      throw createError('INVALID_ARGUMENT', `${what}: row ${i} must be an array of numbers or a Float32Array`, { row: i });
    if (Array.isArray(r) && r.some((v) => typeof v !== 'number'))
      throw createError('INVALID_ARGUMENT', `${what}: row ${i} holds a value that is not a number`, { row: i });
  }
  const dim = rows[0]!.length;
  const data = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => {
    if (r.length !== dim) throw createError('DIMENSION_MISMATCH', `${what}: row ${i} has ${r.length} values, row 0 has ${dim}`, { row: i });
    data.set(r, i * dim);
  });
  assertVectors(data, dim, what);
  return { data, rows: rows.length, dim };
}
