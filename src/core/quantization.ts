// Embedding quantization with sentence-transformers' semantics
// (quantize_embeddings): int8/uint8 with per-dimension ranges from calibration
// data, binary/ubinary as sign bits packed 8 per byte, most significant bit first
// (numpy.packbits). Where we differ, on purpose:
// - values outside the calibration range are clamped, not wrapped around;
// - a constant dimension (zero range) quantizes to the bottom of the range
//   instead of dividing by zero (NaN/Infinity in numpy).
import { createError } from './errors.ts';
import { oneOfArg } from './arguments.ts';
import { toMatrix, type Embeddings } from './matrix.ts';
import { assertKnownOptions, optionNames } from './options.ts';
import { assertVectors } from './vectors.ts';

export type Precision = 'float32' | 'int8' | 'uint8' | 'binary' | 'ubinary';

export interface Ranges {
  /** Per-dimension minimum (numpy: ranges[0]). */
  min: Float32Array;
  /** Per-dimension maximum (numpy: ranges[1]). */
  max: Float32Array;
}

/** Ranges as given by a caller: min and max of `dim` finite values each (arrays are copied into Float32Arrays). */
export function assertRanges(value: unknown, dim: number, what: string): Ranges {
  const r = value as { min?: unknown; max?: unknown } | null;
  const vector = (v: unknown) => (v instanceof Float32Array || Array.isArray(v) ? Float32Array.from(v as ArrayLike<number>) : undefined);
  const min = typeof r === 'object' && r !== null ? vector(r.min) : undefined;
  const max = typeof r === 'object' && r !== null ? vector(r.max) : undefined;
  if (!min || !max) throw createError('INVALID_ARGUMENT', `${what} must be { min, max }, each ${dim} numbers`);
  if (min.length !== dim || max.length !== dim)
    throw createError('DIMENSION_MISMATCH', `${what} cover ${min.length} and ${max.length} dimensions, the embeddings have ${dim}`);
  for (let j = 0; j < dim; j++) {
    if (!Number.isFinite(min[j]!) || !Number.isFinite(max[j]!) || min[j]! > max[j]!) {
      throw createError('INVALID_ARGUMENT', `${what}: dimension ${j} has min ${min[j]} and max ${max[j]}; each needs finite values with min <= max`);
    }
  }
  return { min, max };
}

export function calibrateRanges(embeddings: Float32Array, dim: number): Ranges {
  const n = assertVectors(embeddings, dim, 'calibration embeddings');
  if (n === 0) throw createError('INVALID_ARGUMENT', 'calibration needs at least one embedding');
  const min = new Float32Array(dim).fill(Infinity);
  const max = new Float32Array(dim).fill(-Infinity);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < dim; j++) {
      const v = embeddings[r * dim + j]!;
      if (v < min[j]!) min[j] = v;
      if (v > max[j]!) max[j] = v;
    }
  }
  return { min, max };
}

/** Quantizes one row into out[outOffset ...]: int8 in [-128, 127] or uint8 in [0, 255]. */
export function quantizeScalarRow(
  src: Float32Array,
  srcOffset: number,
  dim: number,
  ranges: Ranges,
  out: Int8Array | Uint8Array,
  outOffset: number,
  unsigned: boolean,
): void {
  const shift = unsigned ? 0 : 128;
  for (let j = 0; j < dim; j++) {
    const lo = ranges.min[j]!;
    const step = (ranges.max[j]! - lo) / 255;
    let q = step > 0 ? Math.floor((src[srcOffset + j]! - lo) / step) : 0;
    q = q < 0 ? 0 : q > 255 ? 255 : q;
    out[outOffset + j] = q - shift;
  }
}

/** Packs sign bits (value > 0) of one row, MSB first, into out[outOffset ...]. */
export function packSignBits(src: Float32Array, srcOffset: number, dim: number, out: Uint8Array, outOffset: number): void {
  for (let b = 0; b < Math.ceil(dim / 8); b++) {
    let byte = 0;
    for (let bit = 0; bit < 8; bit++) {
      const j = b * 8 + bit;
      if (j < dim && src[srcOffset + j]! > 0) byte |= 0x80 >> bit;
    }
    out[outOffset + b] = byte;
  }
}

export interface QuantizeOptions {
  /** Per-dimension [min, max] to map onto the 256 levels (int8/uint8). Default: computed from calibrationEmbeddings. */
  ranges?: Ranges;
  /** Embeddings the ranges are computed from when none are given. Default: the embeddings themselves. */
  calibrationEmbeddings?: Embeddings;
}

/** Codes, row-major: rows x dim bytes (int8/uint8) or rows x ceil(dim / 8) (binary/ubinary). */
export interface QuantizedEmbeddings {
  data: Int8Array | Uint8Array;
  rows: number;
  /** Bytes per row. */
  dim: number;
}

const PRECISIONS: readonly Exclude<Precision, 'float32'>[] = ['int8', 'uint8', 'binary', 'ubinary'];
const QUANTIZE_OPTIONS = optionNames<QuantizeOptions>({ ranges: true, calibrationEmbeddings: true });

/**
 * sentence-transformers' quantize_embeddings(embeddings, precision): the same
 * embedding shapes as the rest of the util mirror (rows, or { data, rows, dim }).
 * binary is the packed byte minus 128, as int8, like numpy's version.
 */
export function quantizeEmbeddings(embeddings: Embeddings, precision: Exclude<Precision, 'float32'>, options: QuantizeOptions = {}): QuantizedEmbeddings {
  oneOfArg('quantizeEmbeddings', 'precision', precision, PRECISIONS, undefined);
  assertKnownOptions(options, QUANTIZE_OPTIONS, 'quantizeEmbeddings');
  const m = toMatrix(embeddings);
  let ranges = options.ranges;
  if (!ranges && (precision === 'int8' || precision === 'uint8') && options.calibrationEmbeddings) {
    const c = toMatrix(options.calibrationEmbeddings, 'calibrationEmbeddings');
    if (c.dim !== m.dim) throw createError('DIMENSION_MISMATCH', `calibrationEmbeddings have ${c.dim} dimensions, embeddings ${m.dim}`);
    ranges = calibrateRanges(c.data, c.dim);
  }
  const data = quantizeRows(m.data, m.dim, precision, ranges);
  return { data, rows: m.rows, dim: precision === 'int8' || precision === 'uint8' ? m.dim : Math.ceil(m.dim / 8) };
}

/** The row-major form the kernel and the store use: N x dim floats in, codes out. */
export function quantizeRows(embeddings: Float32Array, dim: number, precision: Exclude<Precision, 'float32'>, ranges?: Ranges): Int8Array | Uint8Array {
  const n = assertVectors(embeddings, dim, 'embeddings');
  if (precision === 'int8' || precision === 'uint8') {
    const r = ranges ? assertRanges(ranges, dim, 'ranges') : calibrateRanges(embeddings, dim);
    const out = precision === 'int8' ? new Int8Array(n * dim) : new Uint8Array(n * dim);
    for (let i = 0; i < n; i++) quantizeScalarRow(embeddings, i * dim, dim, r, out, i * dim, precision === 'uint8');
    return out;
  }
  const bytes = Math.ceil(dim / 8);
  const packed = new Uint8Array(n * bytes);
  for (let i = 0; i < n; i++) packSignBits(embeddings, i * dim, dim, packed, i * bytes);
  if (precision === 'ubinary') return packed;
  return Int8Array.from(packed, (b) => b - 128);
}
