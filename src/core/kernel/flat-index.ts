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
import { calibrateRanges, type Precision, type Ranges } from '../quantization.ts';
import { assertVectors, normalizeCheckedRows } from '../vectors.ts';
import { createScanKernels, type BackendName, type ScanKernels } from './scan-kernels.ts';
import { rescoreHits } from './rescore.ts';
import { encodeQuery, encodeRows, MAX_BATCH, rowLayout, SINGLE_BLOCK_ROWS, type RowLayout } from './row-codec.ts';
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

  const layout = rowLayout(precision, dim);
  const { stride, rowBytes, rowsAt } = layout;

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

  const writeRows = (src: Float32Array, n: number, first: number) => encodeRows(kernels.buffer, layout, src, n, first, ranges);

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
    const toScore = Array.from({ length: count }, (_, i) => encodeQuery(kernels.buffer, layout, qv, first + i, i, ranges));
    scanIntoHeaps(kernels, layout, size, heaps);
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
        let grown: Float32Array<ArrayBuffer>;
        try {
          grown = new Float32Array(rows * dim);
        } catch (err) {
          throw createError(
            'UNSUPPORTED',
            `reserve: ${rows} float32 rows for rescoring need ${rows * dim * 4} bytes, more than this engine will allocate; pass keepFloat: false`,
            { rows },
            err,
          );
        }
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

/**
 * Scans `size` rows block by block for the queries already in the scratch slots (one
 * heap each): a block of rows is read once for every query, four float32 queries per
 * pass, and each block's scores go to the heaps while they are still in cache.
 */
function scanIntoHeaps(kernels: ScanKernels, l: RowLayout, size: number, heaps: TopKHeap[]): void {
  const count = heaps.length;
  const blockRows = count === 1 ? SINGLE_BLOCK_ROWS : l.batchBlockRows;
  const sign = l.precision === 'binary' || l.precision === 'ubinary' ? -1 : 1; // Hamming distance: smaller is better
  const scoresOf = (qi: number) => l.scoresAt + qi * blockRows * 4;
  for (let start = 0; start < size; start += blockRows) {
    const rows = Math.min(blockRows, size - start);
    const d = l.rowsAt + start * l.rowBytes;
    let i = 0;
    if (l.precision === 'float32') for (; i + 4 <= count; i += 4) kernels.f32Scores4(l.queriesAt + i * l.queryBytes, d, rows, l.stride, scoresOf(i), blockRows);
    for (; i < count; i++) {
      const q = l.queriesAt + i * l.queryBytes;
      if (l.precision === 'float32') kernels.f32Scores(q, d, rows, l.stride, scoresOf(i));
      else if (l.precision === 'int8' || l.precision === 'uint8') kernels.i8Scores(q, d, rows, l.stride, scoresOf(i), l.precision === 'uint8');
      else kernels.hamming(q, d, rows, l.stride, scoresOf(i));
    }
    const buf = kernels.buffer;
    for (let qi = 0; qi < count; qi++) {
      const scores = l.precision === 'float32' ? new Float32Array(buf, scoresOf(qi), rows) : new Int32Array(buf, scoresOf(qi), rows);
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
}
