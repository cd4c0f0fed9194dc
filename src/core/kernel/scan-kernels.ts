// The hot loops of every scan, behind one interface with two implementations:
// WebAssembly SIMD (kernels.wat) and plain TypeScript, chosen at run time.
// Both work on the same byte layout in one linear memory, addressed by byte
// offsets, so the index code above them does not care which one runs.
import { createError } from '../errors.ts';
import { decodeBase64 } from './base64.ts';
import { KERNELS_SHARED_FLAG_OFFSET, KERNELS_WASM_BASE64 } from './wasm/kernels.wasm.ts';

export type BackendName = 'wasm-simd' | 'js';

export interface ScanKernels {
  readonly name: BackendName;
  /** Current linear memory; re-read after ensure(), which may replace it. A SharedArrayBuffer when created shared. */
  readonly buffer: ArrayBuffer;
  /** Whether another thread can write into `buffer` (a shared WebAssembly memory). */
  readonly shared: boolean;
  /** Grows memory to at least `bytes`, keeping its contents; `exact` skips the doubling meant for repeated small growth. */
  ensure(bytes: number, exact?: boolean): void;
  /** out[r] = dot(q, d[r]); f32 rows of `stride` floats (stride % 16 == 0). */
  f32Scores(q: number, d: number, rows: number, stride: number, out: number): void;
  /** Four queries back to back at q; query i's scores at out + 4 * i * outStride. */
  f32Scores4(q: number, d: number, rows: number, stride: number, out: number, outStride: number): void;
  /** out[r] = sum q16[j] * d8[r][j]; rows of `stride` bytes (% 32 == 0); int16 query. */
  i8Scores(q: number, d: number, rows: number, stride: number, out: number, unsigned: boolean): void;
  /** out[r] = popcount(q ^ d[r]); rows of `stride` bytes (% 16 == 0). */
  hamming(q: number, d: number, rows: number, stride: number, out: number): void;
  /** Whether every f32 in [p, p + bytes) is finite (bytes % 64 == 0). */
  f32AllFinite(p: number, bytes: number): boolean;
}

const PAGE = 65536;
const MAX_PAGES = 65536;

interface KernelExports {
  f32_scores(q: number, d: number, rows: number, stride: number, out: number): void;
  f32_scores4(q: number, d: number, rows: number, stride: number, out: number, outStride: number): void;
  i8_scores(q: number, d: number, rows: number, stride: number, out: number, unsigned: number): void;
  hamming(q: number, d: number, rows: number, stride: number, out: number): void;
  f32_all_finite(p: number, bytes: number): number;
}

// The core compiles without DOM typings, so describe the slice of WebAssembly we use.
interface WasmModule {
  readonly __brand?: 'module';
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared?: boolean }) => WasmMemory;
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

const cachedModules = new Map<boolean, WasmModule | null>();

/** The compiled kernel module (importing a shared memory when `shared`), or null when this engine cannot run it. */
export function wasmSimdModule(shared = false): WasmModule | null {
  if (cachedModules.has(shared)) return cachedModules.get(shared)!;
  let module: WasmModule | null;
  try {
    const bytes = decodeBase64(KERNELS_WASM_BASE64);
    if (shared) bytes[KERNELS_SHARED_FLAG_OFFSET] = 0x03; // the memory import becomes shared (see scripts/build-wasm.ts)
    module = wasmApi && wasmApi.validate(bytes) ? new wasmApi.Module(bytes) : null;
  } catch {
    module = null;
  }
  cachedModules.set(shared, module);
  return module;
}

function createWasmKernels(api: WasmApi, module: WasmModule, shared: boolean): ScanKernels {
  const memory = new api.Memory({ initial: 1, maximum: MAX_PAGES, ...(shared ? { shared: true } : {}) });
  const ex = new api.Instance(module, { env: { memory } }).exports as KernelExports;
  return {
    name: 'wasm-simd',
    shared,
    get buffer() {
      return memory.buffer;
    },
    ensure(bytes, exact) {
      const have = memory.buffer.byteLength / PAGE;
      const need = Math.ceil(bytes / PAGE);
      if (need <= have) return;
      if (need > MAX_PAGES) {
        throw createError('UNSUPPORTED', `the index needs ${bytes} bytes, over WebAssembly's 4 GiB memory; use a quantized precision or the js backend`);
      }
      // Double when possible so a growing index copies O(log n) times, not on every add.
      const target = exact ? need : Math.min(MAX_PAGES, Math.max(need, have * 2));
      try {
        memory.grow(target - have);
      } catch {
        memory.grow(need - have);
      }
    },
    f32Scores: (q, d, rows, stride, out) => ex.f32_scores(q, d, rows, stride, out),
    f32Scores4: (q, d, rows, stride, out, outStride) => ex.f32_scores4(q, d, rows, stride, out, outStride),
    i8Scores: (q, d, rows, stride, out, unsigned) => ex.i8_scores(q, d, rows, stride, out, unsigned ? 1 : 0),
    hamming: (q, d, rows, stride, out) => ex.hamming(q, d, rows, stride, out),
    f32AllFinite: (p, bytes) => ex.f32_all_finite(p, bytes) === 1,
  };
}

const POPCOUNT = (() => {
  const t = new Uint8Array(256);
  for (let i = 1; i < 256; i++) t[i] = (i & 1) + t[i >> 1]!;
  return t;
})();

function createJsKernels(): ScanKernels {
  let buffer = new ArrayBuffer(PAGE);
  let f32 = new Float32Array(buffer);
  let i32 = new Int32Array(buffer);
  let i16 = new Int16Array(buffer);
  let i8 = new Int8Array(buffer);
  let u8 = new Uint8Array(buffer);
  const f32Dot = (q: number, d: number, n: number) => {
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let j = 0; j < n; j += 4) {
      s0 += f32[d + j]! * f32[q + j]!;
      s1 += f32[d + j + 1]! * f32[q + j + 1]!;
      s2 += f32[d + j + 2]! * f32[q + j + 2]!;
      s3 += f32[d + j + 3]! * f32[q + j + 3]!;
    }
    return s0 + s1 + (s2 + s3);
  };
  return {
    name: 'js',
    shared: false,
    get buffer() {
      return buffer;
    },
    ensure(bytes, exact) {
      if (bytes <= buffer.byteLength) return;
      let next: ArrayBuffer;
      try {
        next = new ArrayBuffer(exact ? bytes : Math.max(bytes, buffer.byteLength * 2));
      } catch (err) {
        // The engine's RangeError ("Array buffer allocation failed") says nothing a caller can act on.
        throw createError(
          'UNSUPPORTED',
          `the index needs ${bytes} bytes, more than this JavaScript engine will allocate in one buffer; use a quantized precision (int8: a quarter, binary: a 32nd) or fewer rows`,
          { bytes },
          err,
        );
      }
      new Uint8Array(next).set(u8);
      buffer = next;
      f32 = new Float32Array(buffer);
      i32 = new Int32Array(buffer);
      i16 = new Int16Array(buffer);
      i8 = new Int8Array(buffer);
      u8 = new Uint8Array(buffer);
    },
    f32Scores(q, d, rows, stride, out) {
      let dq = d >> 2;
      const qq = q >> 2;
      for (let r = 0, o = out >> 2; r < rows; r++, dq += stride) f32[o + r] = f32Dot(qq, dq, stride);
    },
    f32Scores4(q, d, rows, stride, out, outStride) {
      for (let i = 0; i < 4; i++) this.f32Scores(q + i * stride * 4, d, rows, stride, out + i * outStride * 4);
    },
    i8Scores(q, d, rows, stride, out, unsigned) {
      const qq = q >> 1;
      const view = unsigned ? u8 : i8;
      for (let r = 0, base = d, o = out >> 2; r < rows; r++, base += stride) {
        let s = 0;
        for (let j = 0; j < stride; j++) s += i16[qq + j]! * view[base + j]!;
        i32[o + r] = s;
      }
    },
    hamming(q, d, rows, stride, out) {
      for (let r = 0, base = d, o = out >> 2; r < rows; r++, base += stride) {
        let c = 0;
        for (let j = 0; j < stride; j++) c += POPCOUNT[u8[base + j]! ^ u8[q + j]!]!;
        i32[o + r] = c;
      }
    },
    f32AllFinite(p, bytes) {
      for (let i = p >> 2, end = (p + bytes) >> 2; i < end; i++) if (f32[i]! - f32[i]! !== 0) return false;
      return true;
    },
  };
}

/**
 * 'auto' picks WebAssembly SIMD when the engine supports it, else plain TypeScript.
 * `shared` asks for a shared memory (needs cross-origin isolation); without one the memory is not shared.
 */
export function createScanKernels(kind: 'auto' | BackendName = 'auto', options: { shared?: boolean } = {}): ScanKernels {
  if (kind === 'js') return createJsKernels();
  const canShare =
    !!options.shared &&
    typeof (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer === 'function' &&
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
  const sharedModule = canShare ? wasmSimdModule(true) : null;
  if (sharedModule && wasmApi) {
    try {
      return createWasmKernels(wasmApi, sharedModule, true);
    } catch {
      // a shared memory was refused: fall through to a private one
    }
  }
  const module = wasmSimdModule();
  if (module && wasmApi) return createWasmKernels(wasmApi, module, false);
  if (kind === 'wasm-simd') throw createError('UNSUPPORTED', 'WebAssembly SIMD is not available in this engine; use backend "js" or "auto"');
  return createJsKernels();
}
