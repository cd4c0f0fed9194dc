// Options of the in-process model runtime: an interface file, so the worker's wire
// protocol can name them without importing the runtime itself.
import type { ProgressCallback } from '../core/progress.ts';
import type { Dtype, ModelSpec } from '../models/registry.ts';
import type { Device } from './embedder.ts';

/** URLs of onnxruntime-web's emscripten glue and its WebAssembly binary. */
export interface OrtFiles {
  mjs: string;
  wasm: string;
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
  /** The two files' exact URLs; overrides wasmBase. Set by the page-side embedder, which knows where the package's files are. */
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
