// How a flat index lays out rows and queries in the scan kernels' linear memory, and
// how it encodes them for each precision:
//   [ scratch: queries | scores ][ rows ...................... ]
// Rows are zero-padded to the stride the kernels read (16 floats, 32 int8 codes or
// 16 bytes of sign bits). A query is encoded so that the kernel's raw score maps
// back to a cosine estimate (float32: as is; int8/uint8: a weighted integer dot
// product plus a constant; binary: agreeing signs).
import { packSignBits, quantizeScalarRow, type Precision, type Ranges } from '../quantization.ts';

/** Queries scanned together at most (one scratch slot each). */
export const MAX_BATCH = 64;
/** Rows per block for a single query: its scores stay in cache while the top-k heap reads them. */
export const SINGLE_BLOCK_ROWS = 4096;
const BATCH_BLOCK_BYTES = 256 * 1024;

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

export interface RowLayout {
  precision: Precision;
  dimension: number;
  /** Row stride in the unit each kernel counts: floats for float32, bytes otherwise. */
  stride: number;
  rowBytes: number;
  queryBytes: number;
  /** Rows per block when several queries share each block of rows. */
  batchBlockRows: number;
  queriesAt: number;
  scoresAt: number;
  rowsAt: number;
}

export function rowLayout(precision: Precision, dimension: number): RowLayout {
  const scalar = precision === 'int8' || precision === 'uint8';
  const stride = precision === 'float32' ? roundUp(dimension, 16) : scalar ? roundUp(dimension, 32) : roundUp(Math.ceil(dimension / 8), 16);
  const rowBytes = precision === 'float32' ? stride * 4 : stride;
  const queryBytes = precision === 'float32' ? rowBytes : scalar ? stride * 2 : stride;
  const scoresAt = roundUp(MAX_BATCH * queryBytes, 64);
  return {
    precision,
    dimension,
    stride,
    rowBytes,
    queryBytes,
    batchBlockRows: Math.max(32, Math.min(SINGLE_BLOCK_ROWS, Math.floor(BATCH_BLOCK_BYTES / rowBytes))),
    queriesAt: 0,
    scoresAt,
    rowsAt: roundUp(scoresAt + MAX_BATCH * SINGLE_BLOCK_ROWS * 4, 64),
  };
}

/** Writes n prepared rows at row position `first`. Memory past the last row is still zero, so padding needs no fill. */
export function encodeRows(buf: ArrayBufferLike, l: RowLayout, src: Float32Array, n: number, first: number, ranges: Ranges | undefined): void {
  const dim = l.dimension;
  const at = l.rowsAt + first * l.rowBytes;
  if (l.precision === 'float32') {
    const dst = new Float32Array(buf, at, n * l.stride);
    if (l.stride === dim) dst.set(src.subarray(0, n * dim));
    else for (let r = 0; r < n; r++) dst.set(src.subarray(r * dim, r * dim + dim), r * l.stride);
  } else if (l.precision === 'int8' || l.precision === 'uint8') {
    const dst = l.precision === 'int8' ? new Int8Array(buf, at, n * l.stride) : new Uint8Array(buf, at, n * l.stride);
    for (let r = 0; r < n; r++) quantizeScalarRow(src, r * dim, dim, ranges!, dst, r * l.stride, l.precision === 'uint8');
  } else {
    const dst = new Uint8Array(buf, at, n * l.stride);
    for (let r = 0; r < n; r++) packSignBits(src, r * dim, dim, dst, r * l.stride);
  }
}

/** Writes query row `qRow` of `q` into scratch slot `slot`; returns what turns its raw scan score into a cosine estimate. */
export function encodeQuery(
  buf: ArrayBufferLike,
  l: RowLayout,
  q: Float32Array,
  qRow: number,
  slot: number,
  ranges: Ranges | undefined,
): (raw: number) => number {
  const dim = l.dimension;
  const at = l.queriesAt + slot * l.queryBytes;
  if (l.precision === 'float32') {
    const row = new Float32Array(buf, at, l.stride);
    row.set(q.subarray(qRow * dim, qRow * dim + dim));
    row.fill(0, dim);
    return (raw) => raw;
  }
  if (l.precision === 'binary' || l.precision === 'ubinary') {
    const row = new Uint8Array(buf, at, l.stride);
    row.fill(0);
    packSignBits(q, qRow * dim, dim, row, 0);
    return (raw) => 1 - (2 * raw) / dim; // fraction of agreeing signs, mapped to [-1, 1]
  }
  // x_j ~ lo_j + step_j * (code_j + shift + 0.5), so q.x ~ C + sum_j (q_j step_j) code_j.
  // The weights q_j step_j are scaled into int16 for the integer kernel.
  const w = new Float64Array(dim);
  let c = 0;
  let wMax = 0;
  const shift = l.precision === 'int8' ? 128.5 : 0.5;
  for (let j = 0; j < dim; j++) {
    const qj = q[qRow * dim + j]!;
    const lo = ranges!.min[j]!;
    const step = (ranges!.max[j]! - lo) / 255;
    w[j] = qj * step;
    c += qj * lo + w[j]! * shift;
    wMax = Math.max(wMax, Math.abs(w[j]!));
  }
  // Keep every int32 lane of the kernel's accumulation in range: |w| * 255 * (stride / 4) < 2^31.
  const qMax = Math.min(32767, Math.floor(2e9 / (255 * Math.max(1, l.stride / 4))));
  const scale = wMax > 0 ? wMax / qMax : 1;
  const row = new Int16Array(buf, at, l.stride);
  row.fill(0);
  for (let j = 0; j < dim; j++) row[j] = Math.round(w[j]! / scale);
  return (raw) => c + scale * raw;
}
