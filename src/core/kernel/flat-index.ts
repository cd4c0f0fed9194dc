// A brute-force vector index: every row is scanned, so results are exact for
// float32 and, with rescoring, nearly exact for the quantized precisions.
// Rows live zero-padded in the scan kernels' linear memory:
//   [ scratch: queries | scores ][ rows ...................... ]
// Scans run block by block so each block of scores stays in cache while the
// top-k heaps read it; a batch of queries reuses each block of rows across all
// queries (a blocked Q x D^T product), four queries per pass over a row.
import { booleanArg, describeValue, float32Arg, integerArg, numberArg, oneOfArg } from '../arguments.ts';
import { assertKnownOptions, optionNames } from '../options.ts';
import { assertRanges } from '../quantization.ts';
import { createError } from '../errors.ts';
import { calibrateRanges, packSignBits, quantizeScalarRow, type Precision, type Ranges } from '../quantization.ts';
import { assertVectors, normalizeCheckedRows } from '../vectors.ts';
import { createScanKernels, type BackendName, type ScanKernels } from './scan-kernels.ts';
import { rescoreHits } from './rescore.ts';
import { TopKHeap, type Hit } from './top-k-heap.ts';

export interface FlatIndexOptions {
  dimension: number;
  /** Storage and scan precision. Default 'float32'. */
  precision?: Precision;
  /** 'auto' (default): WebAssembly SIMD when available, else plain TypeScript. */
  backend?: 'auto' | BackendName;
  /** int8/uint8: per-dimension ranges. Default: computed from calibrationEmbeddings, else from the first add(). */
  ranges?: Ranges;
  calibrationEmbeddings?: Float32Array;
  /** Keep float32 copies of quantized rows so results can be rescored exactly. Default true. */
  keepFloat?: boolean;
  /**
   * Put rows in a shared WebAssembly memory, so another thread (a worker reading
   * a file) can write them in place; see rowRegion(). Needs cross-origin
   * isolation in browsers; without it the memory is simply not shared.
   */
  sharedMemory?: boolean;
  /**
   * L2-normalize rows and queries (zero stays zero). Default true: scores are
   * cosine similarities. Pass false for vectors that are already unit length
   * (an embedder that normalizes): adding then skips a pass and a copy.
   */
  normalize?: boolean;
}

export interface SearchOptions {
  /** Results per query. Default 10. */
  k?: number;
  /**
   * Quantized precisions: scan for k * rescore candidates, then rank them by the
   * exact float32 score. Default 4 (sentence-transformers' default); 1 turns it off.
   */
  rescore?: number;
}

export interface FlatIndex {
  readonly dimension: number;
  readonly precision: Precision;
  readonly backend: BackendName;
  readonly size: number;
  /** Bytes one row takes in the scanned memory (padding included), float copies excluded. */
  readonly bytesPerVector: number;
  readonly ranges: Ranges | undefined;
  /** Validates, normalizes and appends rows (N x dimension); returns the index of the first. */
  add(vectors: Float32Array): number;
  /**
   * int8/uint8 with ranges and keepFloat false: appends rows quantized elsewhere
   * with the same ranges (N x dimension bytes), e.g. codes read from storage.
   */
  addCodes(codes: Int8Array | Uint8Array): number;
  /**
   * Float32 rows stored unpadded (dimension % 16 == 0), unnormalized: where the
   * next `rows` rows go, as raw little-endian bytes, for a writer that fills
   * them in place (undefined when rows are padded or transformed on the way in).
   * Call commitRows() once they are written.
   */
  rowRegion(rows: number): { buffer: ArrayBufferLike; byteOffset: number; byteLength: number } | undefined;
  /** Checks and counts `rows` rows written into rowRegion(); NON_FINITE_VECTOR (and nothing counted) if one holds NaN/Infinity. */
  commitRows(rows: number): void;
  /** Whether rowRegion() can be written from another thread. */
  readonly sharedMemory: boolean;
  /** Sizes memory for `rows` rows in all, so adding them block by block never grows (and copies) it again. */
  reserve(rows: number): void;
  /**
   * Removes rows by moving the last row into each hole (the scan stays one dense
   * run, so an update costs what it changes, not a rebuild). Returns the moves,
   * [from, to], in order: apply them to whatever the caller keeps per row.
   */
  removeRows(rows: readonly number[]): [from: number, to: number][];
  search(query: Float32Array, options?: SearchOptions): Hit[];
  /** Many queries at once (Q x dimension); faster per query than search() in a loop. */
  searchBatch(queries: Float32Array, options?: SearchOptions): Hit[][];
}

const MAX_BATCH = 64;
const SINGLE_BLOCK_ROWS = 4096;
const BATCH_BLOCK_BYTES = 256 * 1024;

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;
/** BGE-M3 is 1024; OpenAI's largest 3072. Past this a row is more likely a mistake than a model. */
const MAX_DIMENSION = 65_536;
const PRECISIONS = ['float32', 'int8', 'uint8', 'binary', 'ubinary'] as const;
const SEARCH_OPTIONS = optionNames<SearchOptions>({ k: true, rescore: true });

const FLAT_INDEX_OPTIONS = optionNames<FlatIndexOptions>({
  dimension: true,
  precision: true,
  backend: true,
  ranges: true,
  calibrationEmbeddings: true,
  keepFloat: true,
  sharedMemory: true,
  normalize: true,
});

export function createFlatIndex(options: FlatIndexOptions): FlatIndex {
  assertKnownOptions(options ?? null, FLAT_INDEX_OPTIONS, 'createFlatIndex');
  const where = 'createFlatIndex';
  const dim = integerArg(where, 'dimension', options.dimension, undefined);
  if (dim > MAX_DIMENSION) throw createError('INVALID_ARGUMENT', `${where}: dimension must be at most ${MAX_DIMENSION}, got ${dim}`);
  const precision = oneOfArg(where, 'precision', options.precision, PRECISIONS, 'float32');
  const backend = oneOfArg(where, 'backend', options.backend, ['auto', 'wasm-simd', 'js'] as const, 'auto');
  const normalize = booleanArg(where, 'normalize', options.normalize, true);
  const quantized = precision !== 'float32';
  const keepFloat = quantized && booleanArg(where, 'keepFloat', options.keepFloat, true);
  const sharedMemory = booleanArg(where, 'sharedMemory', options.sharedMemory, false);
  const scalar = precision === 'int8' || precision === 'uint8';
  const bits = precision === 'binary' || precision === 'ubinary';
  const kernels: ScanKernels = createScanKernels(backend, { shared: sharedMemory });

  // Row stride in the unit each kernel counts: floats for f32, bytes otherwise.
  const stride = precision === 'float32' ? roundUp(dim, 16) : scalar ? roundUp(dim, 32) : roundUp(Math.ceil(dim / 8), 16);
  const rowBytes = precision === 'float32' ? stride * 4 : stride;
  const queryBytes = precision === 'float32' ? rowBytes : scalar ? stride * 2 : stride;
  const batchBlockRows = Math.max(32, Math.min(SINGLE_BLOCK_ROWS, Math.floor(BATCH_BLOCK_BYTES / rowBytes)));
  const queriesAt = 0;
  const scoresAt = roundUp(MAX_BATCH * queryBytes, 64);
  const rowsAt = roundUp(scoresAt + MAX_BATCH * SINGLE_BLOCK_ROWS * 4, 64);

  let ranges = options.ranges === undefined ? undefined : assertRanges(options.ranges, dim, `${where}: ranges`);
  if (scalar && !ranges && options.calibrationEmbeddings !== undefined) ranges = calibrateRanges(prepare(options.calibrationEmbeddings), dim);
  let size = 0;
  let floats = new Float32Array(0);
  kernels.ensure(rowsAt);

  /** Validates; normalizes a copy when asked (never the caller's array, which is only read). */
  function prepare(v: Float32Array): Float32Array {
    assertVectors(v, dim);
    return normalize ? normalizeCheckedRows(new Float32Array(v), dim) : v;
  }

  /** Float32 rows stored as given (unpadded, unnormalized): the memory another thread may write them into. */
  const inPlace = precision === 'float32' && !normalize && stride === dim;

  /**
   * After n float32 rows were written past `size`: a NaN/Infinity among them and
   * none count (they are zeroed again, since padding must stay zero); the error
   * names the row, in `written()` as read before the zeroing.
   */
  function assertWrittenFinite(n: number, written: () => Float32Array, label?: string): void {
    const at = rowsAt + size * rowBytes;
    if (kernels.f32AllFinite(at, n * rowBytes)) return;
    const rows = written();
    new Uint8Array(kernels.buffer, at, n * rowBytes).fill(0);
    assertVectors(rows, dim, label);
  }

  /** Writes n prepared rows at row position `first`. Memory past the last row is still zero, so padding needs no fill. */
  function writeRows(src: Float32Array, n: number, first: number): void {
    const at = rowsAt + first * rowBytes;
    const buf = kernels.buffer;
    if (precision === 'float32') {
      const dst = new Float32Array(buf, at, n * stride);
      if (stride === dim) dst.set(src.subarray(0, n * dim));
      else for (let r = 0; r < n; r++) dst.set(src.subarray(r * dim, r * dim + dim), r * stride);
    } else if (scalar) {
      const dst = precision === 'int8' ? new Int8Array(buf, at, n * stride) : new Uint8Array(buf, at, n * stride);
      for (let r = 0; r < n; r++) quantizeScalarRow(src, r * dim, dim, ranges!, dst, r * stride, precision === 'uint8');
    } else {
      const dst = new Uint8Array(buf, at, n * stride);
      for (let r = 0; r < n; r++) packSignBits(src, r * dim, dim, dst, r * stride);
    }
  }

  /** Writes one query into scratch slot `slot`; returns what turns its raw scan score into a cosine estimate. */
  function writeQuery(q: Float32Array, qRow: number, slot: number): (raw: number) => number {
    const buf = kernels.buffer;
    const at = queriesAt + slot * queryBytes;
    if (precision === 'float32') {
      const row = new Float32Array(buf, at, stride);
      row.set(q.subarray(qRow * dim, qRow * dim + dim));
      row.fill(0, dim);
      return (raw) => raw;
    }
    if (bits) {
      const row = new Uint8Array(buf, at, stride);
      row.fill(0);
      packSignBits(q, qRow * dim, dim, row, 0);
      return (raw) => 1 - (2 * raw) / dim; // fraction of agreeing signs, mapped to [-1, 1]
    }
    // x_j ~ lo_j + step_j * (code_j + shift + 0.5), so q.x ~ C + sum_j (q_j step_j) code_j.
    // The weights q_j step_j are scaled into int16 for the integer kernel.
    const w = new Float64Array(dim);
    let c = 0;
    let wMax = 0;
    const shift = precision === 'int8' ? 128.5 : 0.5;
    for (let j = 0; j < dim; j++) {
      const qj = q[qRow * dim + j]!;
      const lo = ranges!.min[j]!;
      const step = (ranges!.max[j]! - lo) / 255;
      w[j] = qj * step;
      c += qj * lo + w[j]! * shift;
      wMax = Math.max(wMax, Math.abs(w[j]!));
    }
    // Keep every int32 lane of the kernel's accumulation in range: |w| * 255 * (stride / 4) < 2^31.
    const qMax = Math.min(32767, Math.floor(2e9 / (255 * Math.max(1, stride / 4))));
    const scale = wMax > 0 ? wMax / qMax : 1;
    const row = new Int16Array(buf, at, stride);
    row.fill(0);
    for (let j = 0; j < dim; j++) row[j] = Math.round(w[j]! / scale);
    return (raw) => c + scale * raw;
  }

  function scanBlock(slot: number, rowStart: number, rows: number, out: number): void {
    const q = queriesAt + slot * queryBytes;
    const d = rowsAt + rowStart * rowBytes;
    if (precision === 'float32') kernels.f32Scores(q, d, rows, stride, out);
    else if (scalar) kernels.i8Scores(q, d, rows, stride, out, precision === 'uint8');
    else kernels.hamming(q, d, rows, stride, out);
  }

  function finish(heap: TopKHeap, k: number, qv: Float32Array, qRow: number, toScore: (raw: number) => number, rescoring: boolean): Hit[] {
    const cands = heap.sorted();
    if (!rescoring) return cands.map((h) => ({ index: h.index, score: toScore(bits ? -h.score : h.score) }));
    return rescoreHits(qv, qRow * dim, dim, cands, floats, (i) => cands[i]!.index * dim, k);
  }

  function plan(opts: SearchOptions | undefined) {
    assertKnownOptions(opts, SEARCH_OPTIONS, 'search');
    const k = integerArg('search', 'k', opts?.k, 10, 0);
    const factor = numberArg('search', 'rescore', opts?.rescore, 4, 1);
    const rescoring = keepFloat && factor > 1;
    const kc = Math.min(size, rescoring ? Math.ceil(k * factor) : k);
    return { k: Math.min(k, size), kc, rescoring };
  }

  function checkQueries(queries: Float32Array): Float32Array {
    if (queries.length % dim !== 0 || queries.length === 0) {
      throw createError('DIMENSION_MISMATCH', `queries have ${queries.length} values, not a multiple of the index dimension ${dim}`, {
        expected: dim,
        got: queries.length,
      });
    }
    return prepare(queries);
  }

  function searchChunk(qv: Float32Array, first: number, count: number, opts: SearchOptions | undefined): Hit[][] {
    const { k, kc, rescoring } = plan(opts);
    // Nothing stored yet (a quantized index may not even have its ranges): nothing to find.
    if (size === 0) return Array.from({ length: count }, () => []);
    const heaps = Array.from({ length: count }, () => new TopKHeap(kc));
    const toScore = Array.from({ length: count }, (_, i) => writeQuery(qv, first + i, i));
    const single = count === 1;
    const blockRows = single ? SINGLE_BLOCK_ROWS : batchBlockRows;
    const sign = bits ? -1 : 1; // Hamming distance: smaller is better
    for (let start = 0; start < size; start += blockRows) {
      const rows = Math.min(blockRows, size - start);
      let i = 0;
      if (precision === 'float32') {
        for (; i + 4 <= count; i += 4) {
          kernels.f32Scores4(queriesAt + i * queryBytes, rowsAt + start * rowBytes, rows, stride, scoresAt + i * blockRows * 4, blockRows);
        }
      }
      for (; i < count; i++) scanBlock(i, start, rows, scoresAt + i * blockRows * 4);
      const buf = kernels.buffer;
      for (let qi = 0; qi < count; qi++) {
        const scores =
          precision === 'float32' ? new Float32Array(buf, scoresAt + qi * blockRows * 4, rows) : new Int32Array(buf, scoresAt + qi * blockRows * 4, rows);
        const heap = heaps[qi]!;
        let threshold = heap.threshold;
        for (let r = 0; r < rows; r++) {
          const s = sign * scores[r]!;
          // Rows arrive in index order, so an equal score never displaces an earlier row.
          if (s > threshold) {
            heap.push(s, start + r);
            threshold = heap.threshold;
          }
        }
      }
    }
    return heaps.map((h, i) => finish(h, k, qv, first + i, toScore[i]!, rescoring && kc > 0));
  }

  return {
    dimension: dim,
    precision,
    backend: kernels.name,
    get size() {
      return size;
    },
    bytesPerVector: rowBytes,
    get ranges() {
      return ranges;
    },
    get sharedMemory() {
      return kernels.shared;
    },
    rowRegion(rows) {
      if (!inPlace) return undefined;
      kernels.ensure(rowsAt + (size + rows) * rowBytes);
      return { buffer: kernels.buffer, byteOffset: rowsAt + size * rowBytes, byteLength: rows * rowBytes };
    },
    commitRows(rows) {
      if (!inPlace) throw createError('INVALID_STATE', 'commitRows needs an unpadded, unnormalized float32 index');
      if (!Number.isInteger(rows) || rows < 0) throw createError('INVALID_ARGUMENT', `commitRows needs a row count, got ${rows}`);
      kernels.ensure(rowsAt + (size + rows) * rowBytes);
      assertWrittenFinite(rows, () => new Float32Array(kernels.buffer, rowsAt + size * rowBytes, rows * dim).slice(), 'rows written in place');
      size += rows;
    },
    addCodes(codes) {
      if (!scalar || !ranges || keepFloat) throw createError('INVALID_STATE', 'addCodes needs an int8/uint8 index with ranges and keepFloat: false');
      if (codes.length % dim !== 0)
        throw createError('DIMENSION_MISMATCH', `codes: length ${codes.length} is not a multiple of dimension ${dim}`, { expected: dim, length: codes.length });
      if (codes instanceof Int8Array !== (precision === 'int8'))
        throw createError('INVALID_ARGUMENT', `addCodes: ${precision} codes must come as ${precision === 'int8' ? 'Int8Array' : 'Uint8Array'}`);
      const n = codes.length / dim;
      kernels.ensure(rowsAt + (size + n) * rowBytes);
      const dst = new Uint8Array(kernels.buffer, rowsAt + size * rowBytes, n * rowBytes);
      const src = new Uint8Array(codes.buffer, codes.byteOffset, codes.length);
      if (stride === dim) dst.set(src);
      else for (let r = 0; r < n; r++) dst.set(src.subarray(r * dim, r * dim + dim), r * stride);
      const first = size;
      size += n;
      return first;
    },
    reserve(rows) {
      if (!Number.isInteger(rows) || rows < 0) throw createError('INVALID_ARGUMENT', `reserve needs a row count, got ${rows}`);
      kernels.ensure(rowsAt + rows * rowBytes, true);
      if (keepFloat && floats.length < rows * dim) {
        const grown = new Float32Array(rows * dim);
        grown.set(floats.subarray(0, size * dim));
        floats = grown;
      }
    },
    add(vectors) {
      float32Arg('add', 'vectors', vectors);
      // Unnormalized float32 rows are checked after the copy, by the kernels (SIMD), not by a JS pass first.
      const checkAfterCopy = precision === 'float32' && !normalize;
      if (checkAfterCopy && vectors.length % dim !== 0) assertVectors(vectors, dim);
      const v = checkAfterCopy ? vectors : prepare(vectors);
      const n = v.length / dim;
      if (scalar && !ranges) {
        if (n === 0) return size;
        ranges = calibrateRanges(v, dim);
      }
      kernels.ensure(rowsAt + (size + n) * rowBytes);
      writeRows(v, n, size);
      if (checkAfterCopy) assertWrittenFinite(n, () => vectors);
      if (keepFloat) {
        if (floats.length < (size + n) * dim) {
          const grown = new Float32Array(Math.max((size + n) * dim, floats.length * 2));
          grown.set(floats.subarray(0, size * dim));
          floats = grown;
        }
        floats.set(v, size * dim);
      }
      const first = size;
      size += n;
      return first;
    },
    removeRows(rows) {
      if (!Array.isArray(rows)) throw createError('INVALID_ARGUMENT', `removeRows: rows must be an array of row numbers, got ${describeValue(rows)}`);
      const order = [...rows].sort((a, b) => b - a);
      order.forEach((r, i) => {
        if (!Number.isInteger(r) || r < 0 || r >= size) throw createError('INVALID_ARGUMENT', `row ${r} is not in the index (size ${size})`);
        if (i > 0 && order[i - 1] === r) throw createError('INVALID_ARGUMENT', `row ${r} is listed twice`);
      });
      const bytes = new Uint8Array(kernels.buffer);
      const moves: [number, number][] = [];
      // Largest first: the last row is then never one still waiting to be removed.
      for (const r of order) {
        const last = size - 1;
        if (r !== last) {
          bytes.copyWithin(rowsAt + r * rowBytes, rowsAt + last * rowBytes, rowsAt + (last + 1) * rowBytes);
          if (keepFloat) floats.copyWithin(r * dim, last * dim, (last + 1) * dim);
          moves.push([last, r]);
        }
        // Memory past the last row stays zero: writeRows relies on it for padding.
        bytes.fill(0, rowsAt + last * rowBytes, rowsAt + (last + 1) * rowBytes);
        size = last;
      }
      return moves;
    },
    search(query, opts) {
      if (query.length !== dim)
        throw createError('DIMENSION_MISMATCH', `query has ${query.length} dimensions, the index has ${dim}`, { expected: dim, got: query.length });
      return searchChunk(checkQueries(query), 0, 1, opts)[0]!;
    },
    searchBatch(queries, opts) {
      const qv = checkQueries(queries);
      const n = qv.length / dim;
      const out: Hit[][] = [];
      for (let first = 0; first < n; first += MAX_BATCH) out.push(...searchChunk(qv, first, Math.min(MAX_BATCH, n - first), opts));
      return out;
    },
  };
}
