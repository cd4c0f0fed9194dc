// Validation and L2 normalization of row-major vector matrices.
import { describeValue } from './arguments.ts';
import { createError } from './errors.ts';

/** Throws NON_FINITE_VECTOR naming the first bad row, DIMENSION_MISMATCH when sizes disagree. */
export function assertVectors(data: Float32Array, dim: number, what = 'vectors'): number {
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim <= 0)
    throw createError('INVALID_ARGUMENT', `dimension must be a positive integer, got ${describeValue(dim)}`);
  // Anything else would be converted on the way in, where 1e300 passes a finite check and becomes Infinity.
  if (!(data instanceof Float32Array)) throw createError('INVALID_ARGUMENT', `${what} must be a Float32Array, got ${describeValue(data)}`);
  if (data.length % dim !== 0) {
    throw createError('DIMENSION_MISMATCH', `${what}: length ${data.length} is not a multiple of dimension ${dim}`, {
      expected: dim,
      length: data.length,
    });
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) {
      const row = Math.floor(i / dim);
      throw createError('NON_FINITE_VECTOR', `${what}: row ${row} holds ${v} at component ${i % dim}`, { row, value: v });
    }
  }
  return data.length / dim;
}

/**
 * Scales each row of `data` to unit L2 norm, in place. A zero row stays zero
 * (never NaN), so an empty or degenerate embedding simply scores 0 everywhere.
 */
export function normalizeRows(data: Float32Array, dim: number): Float32Array {
  assertVectors(data, dim);
  return normalizeCheckedRows(data, dim);
}

/** normalizeRows for rows the caller has already checked (or a model produced): no second pass over them. */
export function normalizeCheckedRows(data: Float32Array, dim: number): Float32Array {
  const n = data.length / dim;
  for (let r = 0; r < n; r++) {
    const base = r * dim;
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += data[base + j]! * data[base + j]!;
    if (sum === 0 || !Number.isFinite(sum)) {
      if (sum === 0) continue;
      // Overflowed squares: rescale by the max first so huge-but-finite rows normalize.
      let max = 0;
      for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(data[base + j]!));
      for (let j = 0; j < dim; j++) data[base + j]! /= max;
      sum = 0;
      for (let j = 0; j < dim; j++) sum += data[base + j]! * data[base + j]!;
    }
    const inv = 1 / Math.sqrt(sum);
    for (let j = 0; j < dim; j++) data[base + j]! *= inv;
  }
  return data;
}
