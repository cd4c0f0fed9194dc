// Options of the in-process model runtime: an interface file, so the worker's wire
// protocol can name them without importing the runtime itself.
import type { ProgressCallback } from '../core/progress.ts';
import type { Dtype, ModelSpec } from '../models/registry.ts';
import type { Device } from './embedder.ts';

/** URLs of one onnxruntime-web build: its emscripten glue and its WebAssembly binary. */
export interface OrtBuild {
  mjs: string;
  wasm: string;
}

/**
 * The two onnxruntime-web builds a page may load: the plain SIMD-threaded one where the
 * model runs on WASM (14.3 MB, 2.7 MB brotli; its glue has no `new Function`), and the
 * asyncify one, which the WebGPU execution provider needs (26.9 MB, 4.7 MB brotli).
 * Only the one for the device that runs is fetched.
 */
export interface OrtFiles {
  wasm: OrtBuild;
  webgpu: OrtBuild;
}

export interface RuntimeOptions {
  /** A registry id or a full spec for an unlisted model. */
  model: string | ModelSpec;
  /** 'auto' (default): WebGPU when a hardware adapter runs the model, else WASM; 'cpu' in Node. */
  device?: 'auto' | Device;
  /** Overrides the registry's dtype for the chosen device. */
  dtype?: Dtype;
  /** Where self-hosted models live (URL path in browsers, folder in Node). Default '/models/'. */
  localModelPath?: string;
  /** Fetch from the Hugging Face Hub when the model is not self-hosted. Default true. */
  allowRemoteModels?: boolean;
  /** The Hub, or a mirror of it (same URL layout: {host}/{model}/resolve/{revision}/{file}). Default https://huggingface.co/. */
  remoteHost?: string;
  /** URL of the folder holding onnxruntime-web's .mjs/.wasm (never a CDN). Default: beside the package's worker (see ort-files.ts). */
  wasmBase?: string;
  /** Each build's exact URLs; overrides wasmBase. Set by the page-side embedder, which knows where the package's files are. */
  ortFiles?: OrtFiles;
  /** Most texts per model call. Default 16. */
  batchSize?: number;
  /**
   * Most tokens per model call (texts x longest text, padding included). Default 512.
   * Long texts then go a few at a time and short ones many at a time, which keeps
   * attention's quadratic cost and padding small.
   */
  maxBatchTokens?: number;
  /** WASM threads (needs cross-origin isolation). Default: onnxruntime-web's choice (all cores, up to 4). */
  threads?: number;
  /** Hub revision. Default 'main'. */
  revision?: string;
  onProgress?: ProgressCallback;
}
